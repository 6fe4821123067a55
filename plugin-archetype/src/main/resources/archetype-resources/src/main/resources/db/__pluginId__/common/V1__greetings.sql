-- Runs once, before the plugin's classes are created, on SQLite (LMS) and PostgreSQL (management) alike:
-- times as epoch milliseconds (BIGINT), no dialect-specific types. Its history: flyway_history_<plugin id>.
CREATE TABLE ${pluginId.replace('-', '_')}_greetings (
    client_uuid VARCHAR(64)  NOT NULL,
    said        VARCHAR(400) NOT NULL,
    said_at     BIGINT       NOT NULL
);
CREATE INDEX ${pluginId.replace('-', '_')}_greetings_by_client ON ${pluginId.replace('-', '_')}_greetings (client_uuid, said_at);
