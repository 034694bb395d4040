-- Per-client model scores (BG/NBD, Gamma-Gamma, RFM, the recommended action), computed for the
-- whole company in one pass and kept until the company's sales or exchange rates change.
-- Kept equivalent to ../../sqlite/2026-11-29-000006_client_scores/up.sql.

-- Bumped in the same transaction as every change to the company's sales or exchange rates;
-- the cached scores belong to one value of it.
ALTER TABLE companies ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;

-- One row per company with scores: what they were computed from and the company-wide results.
CREATE TABLE score_runs (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    data_version BIGINT NOT NULL,
    -- The day (company time zone) the scores are as of: ages and recencies count up to it.
    as_of DATE NOT NULL,
    -- JSON: reports::recommendations::CustomerModel.
    model TEXT NOT NULL,
    -- JSON: the company's top reports::recommendations::Action list.
    actions TEXT NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

CREATE TABLE client_scores (
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    segment TEXT NOT NULL,
    -- Counted sales and the last one's time (UTC).
    purchases BIGINT NOT NULL,
    last_purchase_at TIMESTAMP NOT NULL,
    p_alive DOUBLE PRECISION NOT NULL,
    expected_purchases_30 DOUBLE PRECISION NOT NULL,
    expected_purchases_90 DOUBLE PRECISION NOT NULL,
    -- Minor units of the company's base currency; NULL when unknown (a missing rate).
    expected_order_value_minor BIGINT,
    clv_minor BIGINT,
    -- JSON: the client's most valuable reports::recommendations::Action, if any.
    action TEXT,
    PRIMARY KEY (company_id, client_id)
);
