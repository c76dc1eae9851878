-- The log holds ordered batches (one sequence number per batch, as the live protocol numbers
-- them) with their author, so a retried batch is recognised even after a restart.
-- boards.doc/seq become a snapshot: the board is the snapshot plus the log after it.
CREATE TABLE board_log (
    board_id   UUID NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    client_id  UUID,
    batch      BIGINT,
    ops        JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (board_id, seq)
);

INSERT INTO board_log (board_id, seq, ops, created_at)
SELECT board_id, seq, jsonb_build_array(op), created_at FROM board_ops;

DROP TABLE board_ops;

-- The last batch number of every client that wrote to a board.
CREATE TABLE board_clients (
    board_id  UUID NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    client_id UUID NOT NULL,
    batch     BIGINT NOT NULL,
    PRIMARY KEY (board_id, client_id)
);
