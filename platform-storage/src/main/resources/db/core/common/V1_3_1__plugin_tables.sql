-- ClassTop core schema: the tables each plugin's migrations created (recorded per migration run), so that
-- removing a plugin with ?purge=true drops exactly those (SPEC section 7).
CREATE TABLE plugin_tables (
    plugin_id  VARCHAR(64)  NOT NULL,
    table_name VARCHAR(255) NOT NULL,
    PRIMARY KEY (plugin_id, table_name)
);
