-- Columns the server derives from what people typed (api/src/domain/text.rs and phone.rs), so
-- that both backends sort and find clients alike:
-- * name_key: the name's alphabetical sort key, compared byte by byte (SQLite's BINARY
--   collation, as PostgreSQL's "C");
-- * phone_e164: the phone in E.164 when it is a valid number, NULL when it is not (the phone
--   column keeps the text as typed);
-- * companies.phone_region: the region numbers without a country code are read in.
-- Rows written before this migration have an empty name_key; the server fills them in at start.
ALTER TABLE companies ADD COLUMN phone_region TEXT NOT NULL DEFAULT 'RU';
ALTER TABLE clients ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN phone_e164 TEXT;
DROP INDEX clients_company_name;
CREATE INDEX clients_company_name_key ON clients (company_id, name_key, id);
CREATE INDEX clients_company_phone ON clients (company_id, phone_e164) WHERE phone_e164 IS NOT NULL;
CREATE INDEX clients_name_key_missing ON clients (id) WHERE name_key = '';
