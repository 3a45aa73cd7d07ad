-- Worker cards (诚信一卡通): each card has a human-readable serial and is issued by a
-- company that employs the worker. The signed token on the card is recomputed from the
-- row (Ed25519 signatures are deterministic), so it is not stored.

CREATE TABLE cards (
    id            INTEGER PRIMARY KEY,
    serial        TEXT NOT NULL UNIQUE,
    worker_id     INTEGER NOT NULL REFERENCES workers (id),
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    revoke_reason TEXT CHECK (revoke_reason IN ('left', 'lost', 'other')),
    issued_at     INTEGER NOT NULL,
    expires_at    INTEGER,
    revoked_at    INTEGER
);
-- At most one active card per worker.
CREATE UNIQUE INDEX cards_active ON cards (worker_id) WHERE status = 'active';
CREATE INDEX cards_worker ON cards (worker_id);
