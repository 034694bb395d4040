-- Reports cut periods in the company's time zone and convert currencies with the company's own
-- exchange rates. Kept equivalent to ../../sqlite/2026-11-29-000003_company_time_zone_and_rates/up.sql.

-- An IANA name (Europe/Moscow); the server checks it against its time-zone database.
ALTER TABLE companies ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';

-- rate_nanos: units of the company's base currency for one unit of `currency`, times 10^9
-- (92.5 RUB for 1 USD is 92500000000), in effect from valid_on until the next rate.
CREATE TABLE exchange_rates (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    currency TEXT NOT NULL,
    valid_on DATE NOT NULL,
    rate_nanos BIGINT NOT NULL CHECK (rate_nanos > 0),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, currency, valid_on)
);
