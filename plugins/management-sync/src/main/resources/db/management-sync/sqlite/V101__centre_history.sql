-- Bounded history (pruned after management-sync.HISTORY_DAYS): heartbeats and CCTV events.
CREATE TABLE msync_heartbeats (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    lms_id       TEXT    NOT NULL REFERENCES msync_lms(id) ON DELETE CASCADE,
    received_at  INTEGER NOT NULL,
    client_count INTEGER NOT NULL,
    online_count INTEGER NOT NULL,
    outbox       INTEGER
);
CREATE INDEX msync_heartbeats_lms ON msync_heartbeats (lms_id, received_at);
CREATE INDEX msync_heartbeats_time ON msync_heartbeats (received_at);

CREATE TABLE msync_cctv_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    client_uuid TEXT    NOT NULL,
    camera_id   TEXT,
    event_type  TEXT    NOT NULL,
    details     TEXT,
    at          INTEGER NOT NULL,
    sync_key    TEXT    NOT NULL
);
CREATE INDEX msync_cctv_events_client ON msync_cctv_events (client_uuid, at);
CREATE INDEX msync_cctv_events_time ON msync_cctv_events (at);
