DROP TRIGGER clients_have_stats ON clients;
DROP FUNCTION client_stats_for_new_clients();
ALTER TABLE clients ADD COLUMN sales_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN total_spent_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN last_purchase_at TIMESTAMP;
UPDATE clients SET sales_count = s.sales_count, total_spent_minor = s.total_spent_minor,
                   last_purchase_at = s.last_purchase_at
FROM client_stats s WHERE s.client_id = clients.id;
CREATE INDEX clients_company_total ON clients (company_id, total_spent_minor, id);
CREATE INDEX clients_company_last_purchase ON clients (company_id, last_purchase_at, id);
DROP TABLE client_stats;
