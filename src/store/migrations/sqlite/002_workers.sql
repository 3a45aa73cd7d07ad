-- Worker registry: one record per natural person (keyed by a keyed hash of the ID
-- number: 16 raw bytes), employments, credentials and equipment, the access log that the
-- worker sees, and bulk-import jobs. ID numbers and phones are stored sealed (XChaCha20-Poly1305).
--
-- CHECKs list allowed values with OR rather than IN: SQLite evaluates an IN list of more
-- than two constants through a temporary b-tree built for every row written, which made
-- a third of the cost of a bulk import. PostgreSQL's migration keeps IN.

CREATE TABLE workers (
    id                 INTEGER PRIMARY KEY,
    id_hash            BLOB NOT NULL UNIQUE,
    id_sealed          TEXT NOT NULL,
    name               TEXT NOT NULL,
    female             INTEGER NOT NULL CHECK (female IN (0, 1)),
    birth_date         TEXT NOT NULL,
    native_region      TEXT NOT NULL,
    phone_hash         BLOB,
    phone_sealed       TEXT,
    service_types      TEXT NOT NULL DEFAULT '',
    id_check_method    TEXT NOT NULL DEFAULT '',
    id_check_at        INTEGER,
    id_check_by        TEXT NOT NULL DEFAULT '',
    bg_status          TEXT NOT NULL DEFAULT 'pending' CHECK (bg_status = 'pending' OR bg_status = 'clear' OR bg_status = 'flagged'),
    bg_at              INTEGER,
    bg_source          TEXT NOT NULL DEFAULT '',
    consent_method     TEXT NOT NULL DEFAULT '' CHECK (consent_method = '' OR consent_method = 'code' OR consent_method = 'paper'),
    consent_at         INTEGER,
    consent_code_hash  TEXT,
    consent_code_until INTEGER,
    password_hash      TEXT,
    entered_by         INTEGER NOT NULL REFERENCES companies (id),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

-- Partial: most workers have no code, and rows without a phone need no entry.
CREATE UNIQUE INDEX workers_phone ON workers (phone_hash) WHERE phone_hash IS NOT NULL;
CREATE UNIQUE INDEX workers_consent_code ON workers (consent_code_hash) WHERE consent_code_hash IS NOT NULL;

CREATE TABLE employments (
    id         INTEGER PRIMARY KEY,
    worker_id  INTEGER NOT NULL REFERENCES workers (id),
    company_id INTEGER NOT NULL REFERENCES companies (id),
    started    TEXT NOT NULL,
    ended      TEXT,
    notes      TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
-- At most one current employment per worker and company.
CREATE UNIQUE INDEX employments_current ON employments (worker_id, company_id) WHERE ended IS NULL;
CREATE INDEX employments_company ON employments (company_id, ended);
-- A worker's employments: the employer check on every action, the history, the region.
CREATE INDEX employments_worker ON employments (worker_id);

CREATE TABLE credentials (
    id         INTEGER PRIMARY KEY,
    worker_id  INTEGER NOT NULL REFERENCES workers (id),
    company_id INTEGER NOT NULL REFERENCES companies (id),
    kind       TEXT NOT NULL CHECK (kind = 'health' OR kind = 'work_permit' OR kind = 'skill' OR
                                    kind = 'insurance' OR kind = 'training'),
    number     TEXT NOT NULL,
    issuer     TEXT NOT NULL DEFAULT '',
    issued     TEXT NOT NULL DEFAULT '',
    expires    TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (worker_id, kind, number)
);

CREATE TABLE equipment (
    id         INTEGER PRIMARY KEY,
    worker_id  INTEGER NOT NULL REFERENCES workers (id),
    company_id INTEGER NOT NULL REFERENCES companies (id),
    kind       TEXT NOT NULL CHECK (kind IN ('uniform', 'toolkit')),
    issued     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (worker_id, company_id, kind)
);

-- Who read a worker's private data, shown to the worker.
CREATE TABLE access_log (
    id         INTEGER PRIMARY KEY,
    worker_id  INTEGER NOT NULL REFERENCES workers (id),
    at         INTEGER NOT NULL,
    viewer     TEXT NOT NULL,
    what       TEXT NOT NULL
);
CREATE INDEX access_log_worker ON access_log (worker_id, at);

CREATE TABLE import_jobs (
    id            INTEGER PRIMARY KEY,
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    filename      TEXT NOT NULL,
    dry_run       INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL CHECK (status = 'running' OR status = 'done' OR status = 'failed'),
    bytes_total   INTEGER NOT NULL DEFAULT 0,
    bytes_done    INTEGER NOT NULL DEFAULT 0,
    rows_done     INTEGER NOT NULL DEFAULT 0,
    imported      INTEGER NOT NULL DEFAULT 0,
    already_there INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    message       TEXT NOT NULL DEFAULT '',
    report        TEXT NOT NULL DEFAULT '',
    started_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    finished_at   INTEGER
);

-- Workers sign in with their phone number and the password they set when confirming.
CREATE TABLE worker_sessions (
    token_hash TEXT PRIMARY KEY,
    worker_id  INTEGER NOT NULL REFERENCES workers (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
