-- A migration whose second statement fails: the first must be rolled back with it.
CREATE TABLE extra (
    id INTEGER PRIMARY KEY
) STRICT;
INSERT INTO no_such_table VALUES (1);
