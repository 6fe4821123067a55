-- ClassTop core schema, part 3 (SQLite): API tokens for scripts and monitoring, and the audit log of
-- admin actions. Timestamps are epoch milliseconds; flags INTEGER 0/1.

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,                 -- SHA-256 hex of the bearer token (ctt_...)
    role         TEXT    NOT NULL,                        -- admin | viewer
    created_at   INTEGER NOT NULL,
    created_by   TEXT,
    expires_at   INTEGER,                                 -- NULL: never expires
    last_used_at INTEGER,                                 -- written at most once a minute per token
    revoked      INTEGER NOT NULL DEFAULT 0,
    revoked_at   INTEGER
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    actor   TEXT,                                         -- user, token:<name>, admin-token, or the name tried at sign-in
    auth    TEXT    NOT NULL,                             -- session | api_token | admin_token | password
    address TEXT,
    method  TEXT    NOT NULL,
    path    TEXT    NOT NULL,
    plugin  TEXT,                                         -- the route's plugin id (core for the platform's own)
    action  TEXT    NOT NULL,                             -- METHOD and route template, e.g. POST /api/tokens
    status  INTEGER NOT NULL,                             -- the HTTP status of the answer
    detail  TEXT    NOT NULL DEFAULT '{}'                 -- JSON object of short values, never secrets
);
CREATE INDEX idx_audit_log_at ON audit_log (at);
