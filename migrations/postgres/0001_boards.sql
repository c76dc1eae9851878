-- Boards: the current document (JSON) and the sequence number of the last operation applied.
CREATE TABLE boards (
    id         UUID PRIMARY KEY,
    title      TEXT NOT NULL,
    doc        JSONB NOT NULL,
    seq        BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every applied operation in order, for catch-up and audit.
CREATE TABLE board_ops (
    board_id   UUID NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    op         JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (board_id, seq)
);
