DROP TABLE report_links;
DROP TABLE saved_reports;
