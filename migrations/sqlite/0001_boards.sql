-- Boards: the current document (JSON) and the sequence number of the last operation applied.
CREATE TABLE boards (
    id         TEXT PRIMARY KEY NOT NULL,
    title      TEXT NOT NULL,
    doc        TEXT NOT NULL,
    seq        INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Every applied operation in order, for catch-up and audit.
CREATE TABLE board_ops (
    board_id   TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    op         TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (board_id, seq)
);
