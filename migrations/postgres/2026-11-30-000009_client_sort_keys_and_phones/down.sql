DROP INDEX clients_name_key_missing;
DROP INDEX clients_company_phone;
DROP INDEX clients_company_name_key;
CREATE INDEX clients_company_name ON clients (company_id, name, id);
ALTER TABLE clients DROP COLUMN phone_e164;
ALTER TABLE clients DROP COLUMN name_key;
ALTER TABLE companies DROP COLUMN phone_region;
