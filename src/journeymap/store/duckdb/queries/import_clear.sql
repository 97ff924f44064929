-- Empty the history import staging tables (before and after every import file).
DELETE FROM import_elements;
DELETE FROM import_connectors;
DELETE FROM import_visits;
DELETE FROM import_visit_facts;
DELETE FROM import_contacts;
DELETE FROM import_purchases;
DELETE FROM import_email_events;
DELETE FROM import_page_visits;
DELETE FROM import_marketing_costs;
