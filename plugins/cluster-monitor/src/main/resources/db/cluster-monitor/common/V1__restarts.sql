-- cluster-monitor: every channel restart (by a person or by the watchdog) and its outcome.
-- Times are epoch milliseconds (BIGINT), flags INTEGER 0/1: the same SQL runs on SQLite and PostgreSQL.

CREATE TABLE cluster_monitor_restarts (
    id            TEXT    NOT NULL PRIMARY KEY,
    server_id     TEXT    NOT NULL,
    server_name   TEXT,
    channel_id    TEXT    NOT NULL,
    trigger_kind  TEXT    NOT NULL,              -- manual | watchdog
    requested_by  TEXT,                          -- the caller's name, or 'watchdog'
    started_at    BIGINT  NOT NULL,
    finished_at   BIGINT  NOT NULL,
    success       INTEGER NOT NULL DEFAULT 0,    -- 1: stopped and started again
    failed_step   TEXT,                          -- stop | start, when it failed
    stop_status   INTEGER,                       -- the upstream's HTTP status, if it answered
    start_status  INTEGER,
    error_code    TEXT,                          -- UPSTREAM_FAILED | UPSTREAM_TIMEOUT | UPSTREAM_UNREACHABLE
    error         TEXT                           -- the sentence the caller got
);
CREATE INDEX idx_cluster_monitor_restarts_started ON cluster_monitor_restarts (started_at);
CREATE INDEX idx_cluster_monitor_restarts_server ON cluster_monitor_restarts (server_id, started_at);
