-- When the refresh token last rotated. A request that presents the token just replaced (a
-- parallel request of the same browser) within a short grace window gets the current tokens
-- instead of revoking the session as a stolen token would.
ALTER TABLE sessions ADD COLUMN rotated_at TIMESTAMP;
