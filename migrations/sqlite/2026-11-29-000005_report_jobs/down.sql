DROP TABLE report_jobs;
