-- Site (LMS) part: what this LMS owes its management server while the centre is unreachable.
-- Versions 500+ belong to the site part; the centre part numbers its migrations below 500.
CREATE TABLE msync_site_outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: doubles as the write's seq / sync id
    kind         TEXT    NOT NULL,                  -- heartbeat | client | sync
    coalesce_key TEXT,                              -- a newer entry with the same key replaces the older one
    body         TEXT    NOT NULL,                  -- the JSON body, without its id
    created_at   TEXT    NOT NULL
);
CREATE UNIQUE INDEX msync_site_outbox_key ON msync_site_outbox (coalesce_key);

CREATE TABLE msync_site_counters (
    name  TEXT PRIMARY KEY,                         -- dropped | rejected | sent
    value INTEGER NOT NULL
);
