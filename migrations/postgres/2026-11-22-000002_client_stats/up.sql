-- Sales aggregates of a client move out of `clients` into a narrow table of their own.
-- Every sales batch updates them for thousands of clients; in `clients` each such update
-- rewrote the whole row and all seven of its indexes (the sort columns are indexed, so
-- PostgreSQL cannot update in place). Here an update writes a short row and three indexes.
-- Kept equivalent to ../../sqlite/2026-11-22-000002_client_stats/up.sql.

CREATE TABLE client_stats (
    client_id BIGINT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
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
CREATE FUNCTION client_stats_for_new_clients() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO client_stats (client_id, company_id) SELECT id, company_id FROM new_clients;
    RETURN NULL;
END
$$;
CREATE TRIGGER clients_have_stats AFTER INSERT ON clients
    REFERENCING NEW TABLE AS new_clients
    FOR EACH STATEMENT EXECUTE FUNCTION client_stats_for_new_clients();
