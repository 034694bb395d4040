-- Sales aggregates of a client move out of `clients` into a narrow table of their own, so a
-- sales batch rewrites short rows with three indexes instead of whole client rows with seven.
-- Kept equivalent to ../../postgres/2026-11-22-000002_client_stats/up.sql.

CREATE TABLE client_stats (
    client_id INTEGER PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL,
    sales_count BIGINT NOT NULL DEFAULT 0,
    total_spent_minor BIGINT NOT NULL DEFAULT 0,
    last_purchase_at TIMESTAMP
);

INSERT INTO client_stats (client_id, company_id, sales_count, total_spent_minor, last_purchase_at)
SELECT id, company_id, sales_count, total_spent_minor, last_purchase_at FROM clients;

CREATE INDEX client_stats_company_total ON client_stats (company_id, total_spent_minor, client_id);
CREATE INDEX client_stats_company_last_purchase ON client_stats (company_id, last_purchase_at, client_id);

DROP INDEX clients_company_total;
DROP INDEX clients_company_last_purchase;
ALTER TABLE clients DROP COLUMN sales_count;
ALTER TABLE clients DROP COLUMN total_spent_minor;
ALTER TABLE clients DROP COLUMN last_purchase_at;

-- Every client has exactly one stats row, whichever statement inserted the client.
CREATE TRIGGER clients_have_stats AFTER INSERT ON clients
BEGIN
    INSERT INTO client_stats (client_id, company_id) VALUES (NEW.id, NEW.company_id);
END;
