-- The log holds ordered batches (one sequence number per batch, as the live protocol numbers
-- them) with their author, so a retried batch is recognised even after a restart.
-- boards.doc/seq become a snapshot: the board is the snapshot plus the log after it.
CREATE TABLE board_log (
    board_id   TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    client_id  TEXT,
    batch      INTEGER,
    ops        TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (board_id, seq)
);

INSERT INTO board_log (board_id, seq, ops, created_at)
SELECT board_id, seq, '[' || op || ']', created_at FROM board_ops;

DROP TABLE board_ops;

-- The last batch number of every client that wrote to a board.
CREATE TABLE board_clients (
    board_id  TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    batch     INTEGER NOT NULL,
    PRIMARY KEY (board_id, client_id)
);
