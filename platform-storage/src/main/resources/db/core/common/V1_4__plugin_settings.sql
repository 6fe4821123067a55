-- Values an admin gave to a plugin's declared settings (Plugins page, PUT /api/plugins/{id}/settings).
-- A setting without a row uses the environment, the config file, then the plugin's default.

CREATE TABLE plugin_settings (
    plugin_id  TEXT   NOT NULL,
    name       TEXT   NOT NULL,
    value      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT,
    PRIMARY KEY (plugin_id, name)
);
