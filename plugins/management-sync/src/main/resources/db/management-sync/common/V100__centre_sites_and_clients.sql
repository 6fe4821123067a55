-- management-sync, centre part (management role): the LMS instances, their clients and what clients sync.
-- Times are epoch milliseconds, flags INTEGER 0/1 (the same SQL on SQLite and PostgreSQL).
-- Versions 100-199 belong to the centre part; the site part numbers its migrations apart.

CREATE TABLE msync_lms (
    id             TEXT    PRIMARY KEY,            -- lms_id, a random UUID issued by the centre, kept on re-register
    lms_uuid       TEXT    NOT NULL UNIQUE,        -- the LMS's own id, kept in its data folder
    name           TEXT    NOT NULL,
    host           TEXT,
    port           INTEGER,
    version        TEXT,
    key_hash       TEXT    NOT NULL UNIQUE,        -- SHA-256 hex of the API key (the key is shown once)
    registered_at  BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    last_heartbeat BIGINT,
    heartbeat_interval INTEGER NOT NULL DEFAULT 30, -- seconds, as the LMS reports it
    client_count   INTEGER NOT NULL DEFAULT 0,
    online_count   INTEGER NOT NULL DEFAULT 0,
    outbox         INTEGER,                        -- the LMS's outbox size, when it reports one
    last_seq       BIGINT                          -- highest heartbeat seq applied (replays apply once)
);

-- Every client the centre knows: held by an LMS (lms_id) or registered directly.
CREATE TABLE msync_clients (
    uuid        TEXT    PRIMARY KEY,
    lms_id      TEXT    REFERENCES msync_lms(id) ON DELETE SET NULL,
    name        TEXT,
    status      TEXT,                              -- as its LMS last reported it: online, offline, ...
    api_url     TEXT,
    key_hash    TEXT    UNIQUE,                    -- per-client key for /api/sync (SHA-256 hex), or null
    first_seen  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    last_sync   BIGINT
);
CREATE INDEX msync_clients_lms ON msync_clients (lms_id);
CREATE INDEX msync_clients_name ON msync_clients (name);

-- Which LMS held which client, and when first and last (a client can move between sites).
CREATE TABLE msync_lms_clients (
    lms_id      TEXT    NOT NULL REFERENCES msync_lms(id) ON DELETE CASCADE,
    client_uuid TEXT    NOT NULL,
    first_seen  BIGINT  NOT NULL,
    PRIMARY KEY (lms_id, client_uuid)
);

-- Synced data: one row per applied sync (its key makes a replay a no-op), then the client's latest snapshot.
CREATE TABLE msync_syncs (
    client_uuid TEXT    NOT NULL,
    sync_key    TEXT    NOT NULL,                  -- the sync_id, or SHA-256 of the content and timestamp
    received_at BIGINT  NOT NULL,
    client_time TEXT,
    courses     INTEGER NOT NULL,
    schedules   INTEGER NOT NULL,
    PRIMARY KEY (client_uuid, sync_key)
);
CREATE INDEX msync_syncs_time ON msync_syncs (received_at);

CREATE TABLE msync_courses (
    client_uuid TEXT    NOT NULL,
    course_id   TEXT    NOT NULL,
    data        TEXT    NOT NULL,                  -- the course as the client sent it (JSON)
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (client_uuid, course_id)
);

CREATE TABLE msync_schedules (
    client_uuid TEXT    NOT NULL,
    schedule_id TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (client_uuid, schedule_id)
);

CREATE TABLE msync_settings (
    client_uuid TEXT    PRIMARY KEY,
    data        TEXT    NOT NULL,                  -- the settings object (JSON)
    updated_at  BIGINT  NOT NULL
);

-- CCTV as a client's sync reports it: its cameras, and the camera events since the last sync.
CREATE TABLE msync_cctv_configs (
    client_uuid TEXT    NOT NULL,
    camera_id   TEXT    NOT NULL,
    name        TEXT,
    source      TEXT,
    recording   INTEGER NOT NULL DEFAULT 0,
    streaming   INTEGER NOT NULL DEFAULT 0,
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (client_uuid, camera_id)
);
