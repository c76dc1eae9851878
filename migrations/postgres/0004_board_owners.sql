-- One owner per open board among server processes (docs/sync.md S6): the process that orders
-- the board's batches; the others forward their clients' connections to `address`. A lease:
-- it lapses at `expires_at` unless its owner renews it, and then any process may take it.
CREATE TABLE board_owners (
    board_id   UUID PRIMARY KEY REFERENCES boards (id) ON DELETE CASCADE,
    instance   UUID NOT NULL,
    address    TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX board_owners_by_instance ON board_owners (instance);

-- A secret the server processes share, so an owner knows a forwarded connection comes from
-- another Squall process (and takes the client's address it names for the limits).
CREATE TABLE cluster (
    id     BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    secret TEXT NOT NULL
);
