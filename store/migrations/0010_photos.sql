-- Dokumentasi (issue 14): photos of a meeting, kept as blobs beside the
-- session so one file (and one `rembuk backup`) holds everything. The
-- server has already re-encoded each photo (JPEG, no EXIF) and made its
-- thumbnail. Numbered 0010 so the migrations other work adds (0004…) sort
-- before it; it only creates a table, so existing rows are untouched.
CREATE TABLE photos (
    session_id TEXT    NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    caption    TEXT    NOT NULL DEFAULT '',
    mime       TEXT    NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    bytes      BLOB    NOT NULL,
    thumb      BLOB    NOT NULL,
    created_by TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    PRIMARY KEY (session_id, id)
);
CREATE INDEX photos_by_time ON photos (session_id, created_at, id);
