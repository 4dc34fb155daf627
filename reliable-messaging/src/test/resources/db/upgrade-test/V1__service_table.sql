-- A service's own first migration, as every service has, numbered after the messaging series.
CREATE TABLE service_table (id uuid PRIMARY KEY);
