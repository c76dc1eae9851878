-- Capability links: one row per board and role, holding only the SHA-256 of the token.
-- `generation` counts rotations (the edit and view tokens are derived from the owner token and it).
CREATE TABLE board_links (
    board_id   TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'edit', 'view')),
    generation INTEGER NOT NULL DEFAULT 0,
    token_hash TEXT NOT NULL UNIQUE,
    PRIMARY KEY (board_id, role)
);
