-- Site (LMS) part: what this LMS owes its management server while the centre is unreachable.
-- Versions 500+ belong to the site part; the centre part numbers its migrations below 500.
CREATE TABLE msync_site_outbox (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL,
    coalesce_key TEXT,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX msync_site_outbox_key ON msync_site_outbox (coalesce_key);

CREATE TABLE msync_site_counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
