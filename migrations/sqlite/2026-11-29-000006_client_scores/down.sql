DROP TABLE client_scores;
DROP TABLE score_runs;
ALTER TABLE companies DROP COLUMN data_version;
