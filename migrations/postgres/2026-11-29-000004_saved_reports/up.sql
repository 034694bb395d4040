-- Saved reports: parameters plus a snapshot of the result, shared with the company's members
-- or through read-only links. Kept equivalent to ../../sqlite/2026-11-29-000004_saved_reports/up.sql.

CREATE TABLE saved_reports (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('general', 'trends', 'recommendations')),
    -- JSON: reports::ReportParameters and reports::Report.
    parameters TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    shared_with_members BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX saved_reports_company ON saved_reports (company_id, updated_at, id);

-- A read-only link shows one saved report's snapshot to anyone holding the token, until it
-- expires or is revoked. Only the token's hash is stored.
CREATE TABLE report_links (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    saved_report_id BIGINT NOT NULL REFERENCES saved_reports(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX report_links_report ON report_links (saved_report_id);
