-- A migration that cannot run: the plugin is failed and named, the others go on.
CREATE TABLE migration_fails_rows (id INTEGER PRIMARY KEY;
