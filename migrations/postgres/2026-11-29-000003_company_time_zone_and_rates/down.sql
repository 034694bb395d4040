DROP TABLE exchange_rates;
ALTER TABLE companies DROP COLUMN time_zone;
