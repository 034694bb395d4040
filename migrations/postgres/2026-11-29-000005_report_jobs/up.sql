-- Reports run as jobs whose state lives in the database, so a job started through one server
-- process can be watched, cancelled and downloaded through another.
-- Kept equivalent to ../../sqlite/2026-11-29-000005_report_jobs/up.sql.

CREATE TABLE report_jobs (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    requested_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    -- JSON: reports::ReportParameters, and reports::Report once done.
    parameters TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled')),
    progress INTEGER NOT NULL DEFAULT 0,
    step TEXT NOT NULL DEFAULT '',
    result TEXT,
    error TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX report_jobs_company ON report_jobs (company_id, created_at);
