-- Foundation: companies and their admission, accounts, sessions, sign-in throttling,
-- and the hash-chained audit log. Times are Unix seconds (UTC).

CREATE TABLE companies (
    id              INTEGER PRIMARY KEY,
    uscc            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    legal_rep       TEXT NOT NULL,
    address         TEXT NOT NULL,
    county          TEXT NOT NULL,
    prefecture      TEXT NOT NULL,
    province        TEXT NOT NULL,
    phone           TEXT NOT NULL,
    service_types   TEXT NOT NULL,
    commitment_by   TEXT NOT NULL,
    commitment_at   INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'active', 'rejected', 'suspended', 'revoked')),
    status_reason   TEXT NOT NULL DEFAULT '',
    decided_by      INTEGER,
    decided_at      INTEGER,
    query_code_hash TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX companies_status_county ON companies (status, county);
CREATE INDEX companies_status_prefecture ON companies (status, prefecture);
CREATE INDEX companies_status_province ON companies (status, province);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'regulator', 'association', 'company_admin', 'company_staff')),
    region        TEXT,
    company_id    INTEGER REFERENCES companies (id),
    display_name  TEXT NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    failures     INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
-- The head of the chain: the last sequence number and hash. Updating it first in every
-- writing transaction serialises appends.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
