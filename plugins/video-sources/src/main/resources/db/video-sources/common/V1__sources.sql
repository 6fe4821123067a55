-- video-sources: the sources an admin added; kept across restarts. Times are epoch milliseconds.
CREATE TABLE video_sources (
    id         TEXT   NOT NULL PRIMARY KEY,
    url        TEXT   NOT NULL,
    format     TEXT,                  -- jpeg-length-prefixed | mjpeg (tcp://), an FFmpeg format name, or NULL
    created_at BIGINT NOT NULL
);
