-- ClassTop core schema, part 1: tables whose column types are the same in SQLite and PostgreSQL.
-- Timestamps are epoch milliseconds (BIGINT); flags are INTEGER 0/1; JSON is stored as TEXT.

CREATE TABLE clients (
    uuid            TEXT    NOT NULL PRIMARY KEY,
    name            TEXT,
    ip_address      TEXT,
    enrollment      TEXT    NOT NULL DEFAULT 'pending',   -- pending | approved | rejected
    client_type     TEXT,
    agent_version   TEXT,
    capabilities    TEXT,                                 -- JSON array of command names
    legacy          INTEGER NOT NULL DEFAULT 0,           -- 1: never sent a protocol register frame
    credential_hash TEXT,
    last_state      TEXT,                                 -- JSON object (the last state_update data)
    first_seen      BIGINT  NOT NULL,
    last_seen       BIGINT,
    online          INTEGER NOT NULL DEFAULT 0,
    metadata        TEXT                                  -- JSON object
);
CREATE INDEX idx_clients_enrollment ON clients (enrollment);

CREATE TABLE lms_config (
    key        TEXT   NOT NULL PRIMARY KEY,
    value      TEXT,
    updated_at BIGINT NOT NULL
);
