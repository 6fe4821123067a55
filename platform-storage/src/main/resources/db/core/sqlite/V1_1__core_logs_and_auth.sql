-- ClassTop core schema, part 2 (SQLite): tables with generated ids.
-- Log tables use a plain INTEGER PRIMARY KEY (rowid alias, cheapest insert); tables whose ids are
-- shown to users use AUTOINCREMENT so that an id is never reused after a delete.

CREATE TABLE connection_logs (
    id          INTEGER PRIMARY KEY,
    client_uuid TEXT    NOT NULL,
    event       TEXT    NOT NULL,                         -- connected | disconnected | refused
    at          INTEGER NOT NULL,
    ip_address  TEXT,
    detail      TEXT
);
CREATE INDEX idx_connection_logs_client ON connection_logs (client_uuid, id);
CREATE INDEX idx_connection_logs_at ON connection_logs (at);

CREATE TABLE command_logs (
    id           INTEGER PRIMARY KEY,
    request_id   TEXT,
    client_uuid  TEXT    NOT NULL,
    command      TEXT    NOT NULL,
    params       TEXT,                                    -- JSON object
    success      INTEGER,                                 -- 0/1, NULL while unanswered
    status       TEXT    NOT NULL,                        -- ok | failed | timeout | offline | error
    response     TEXT,                                    -- JSON
    error        TEXT,
    requested_by TEXT,
    sent_at      INTEGER NOT NULL,
    answered_at  INTEGER,
    duration_ms  INTEGER
);
CREATE INDEX idx_command_logs_client_sent ON command_logs (client_uuid, sent_at);
CREATE INDEX idx_command_logs_sent ON command_logs (sent_at);
CREATE INDEX idx_command_logs_request ON command_logs (request_id);

CREATE TABLE event_logs (
    id          INTEGER PRIMARY KEY,
    client_uuid TEXT,
    event       TEXT    NOT NULL,                         -- <plugin>.<name>
    data        TEXT    NOT NULL DEFAULT '{}',            -- JSON object
    at          INTEGER NOT NULL
);
CREATE INDEX idx_event_logs_client ON event_logs (client_uuid, id);
CREATE INDEX idx_event_logs_at ON event_logs (at);

-- The seed's table name, kept as a view over the CCTV events.
CREATE VIEW cctv_logs AS
    SELECT id,
           client_uuid,
           event                          AS event_type,
           json_extract(data, '$.camera_id') AS camera_id,
           data                           AS details,
           at                             AS created_at
      FROM event_logs
     WHERE event LIKE 'cctv.%';

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL,                       -- admin | viewer
    created_at    INTEGER NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE api_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT    NOT NULL UNIQUE,                 -- SHA-256 hex of the bearer token
    username     TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE INDEX idx_api_sessions_expires ON api_sessions (expires_at);
CREATE INDEX idx_api_sessions_username ON api_sessions (username);

CREATE TABLE enrollment_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    token_hash TEXT    NOT NULL UNIQUE,                   -- SHA-256 hex of the token
    created_at INTEGER NOT NULL,
    expires_at INTEGER,                                   -- NULL: never expires
    created_by TEXT,
    used_count INTEGER NOT NULL DEFAULT 0,
    revoked    INTEGER NOT NULL DEFAULT 0
);
