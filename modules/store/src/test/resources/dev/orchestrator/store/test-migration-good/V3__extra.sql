-- A second migration, for MigrationsTest: adds a table and a column.
CREATE TABLE extra (
    id INTEGER PRIMARY KEY
) STRICT;
ALTER TABLE settings ADD COLUMN note TEXT;
