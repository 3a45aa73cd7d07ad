-- (SQLite: CHECKs use OR, not IN, which SQLite evaluates with a temporary b-tree per row.)
-- Credit records (信用记录), their evidence and appeals (异议), the companies' inbox,
-- credit checks by share code (信用查询), background flags confirmed by a regulator, and
-- company designations (诚信示范企业, 标杆企业).

-- A record about one worker or one company. Life cycle:
--   reported → dismissed                    (association or regulator in scope, with reasons)
--   reported → published                    (confirmed, with reasons; shown publicly when negative)
--   published → revoked                     (an appeal upheld)
-- A published record stops counting and leaves public view at expires_at (信用修复);
-- the periods per severity are in docs/credit-model.md. Positive records never expire.
CREATE TABLE credit_records (
    id                  INTEGER PRIMARY KEY,
    worker_id           INTEGER REFERENCES workers (id),
    company_id          INTEGER REFERENCES companies (id),
    polarity            TEXT NOT NULL CHECK (polarity = 'positive' OR polarity = 'negative'),
    category            TEXT NOT NULL,
    severity            TEXT NOT NULL CHECK (severity = '' OR severity = 'minor' OR severity = 'serious' OR severity = 'grave'),
    summary             TEXT NOT NULL,
    evidence            TEXT NOT NULL DEFAULT '',
    occurred            TEXT NOT NULL,
    county              TEXT NOT NULL,
    prefecture          TEXT NOT NULL,
    province            TEXT NOT NULL,
    reporter_company_id INTEGER REFERENCES companies (id),
    reporter_user_id    INTEGER NOT NULL REFERENCES users (id),
    reporter_label      TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status = 'reported' OR status = 'dismissed' OR status = 'published' OR status = 'revoked'),
    decision_reason     TEXT NOT NULL DEFAULT '',
    decided_by          INTEGER REFERENCES users (id),
    decided_at          INTEGER,
    expires_at          INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    CHECK ((worker_id IS NULL) <> (company_id IS NULL))
);
CREATE INDEX credit_records_worker ON credit_records (worker_id, status) WHERE worker_id IS NOT NULL;
CREATE INDEX credit_records_company ON credit_records (company_id, status) WHERE company_id IS NOT NULL;
CREATE INDEX credit_records_status_county ON credit_records (status, county);
CREATE INDEX credit_records_reporter ON credit_records (reporter_company_id, created_at);

CREATE TABLE credit_appeals (
    id              INTEGER PRIMARY KEY,
    record_id       INTEGER NOT NULL REFERENCES credit_records (id),
    by_worker       INTEGER NOT NULL CHECK (by_worker = 0 OR by_worker = 1),
    company_id      INTEGER REFERENCES companies (id),
    user_id         INTEGER REFERENCES users (id),
    reasons         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status = 'pending' OR status = 'upheld' OR status = 'rejected'),
    decision_reason TEXT NOT NULL DEFAULT '',
    decided_by      INTEGER REFERENCES users (id),
    decided_at      INTEGER,
    due_at          INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
-- At most one open appeal per record.
CREATE UNIQUE INDEX credit_appeals_pending ON credit_appeals (record_id) WHERE status = 'pending';
CREATE INDEX credit_appeals_record ON credit_appeals (record_id);

-- Files attached to a record or an appeal, sealed like ID numbers (they name people).
CREATE TABLE credit_evidence (
    id           INTEGER PRIMARY KEY,
    record_id    INTEGER NOT NULL REFERENCES credit_records (id),
    appeal_id    INTEGER REFERENCES credit_appeals (id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data_sealed  TEXT NOT NULL,
    added_by     TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX credit_evidence_record ON credit_evidence (record_id);

-- A company's inbox: confirmed records about workers it employs or checked lately.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id),
    kind       TEXT NOT NULL,
    record_id  INTEGER REFERENCES credit_records (id),
    worker_id  INTEGER REFERENCES workers (id),
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX notifications_company ON notifications (company_id, id);

-- The worker's share code (分享码) for credit checks: one at a time, stored hashed.
CREATE TABLE share_codes (
    worker_id  INTEGER PRIMARY KEY REFERENCES workers (id),
    code_hash  TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

-- Credit checks made with a share code: who checked whom and when (notifications go to
-- companies that checked a worker in the last 90 days).
CREATE TABLE credit_checks (
    id         INTEGER PRIMARY KEY,
    worker_id  INTEGER NOT NULL REFERENCES workers (id),
    company_id INTEGER NOT NULL REFERENCES companies (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    at         INTEGER NOT NULL
);
CREATE INDEX credit_checks_worker ON credit_checks (worker_id, at);

-- A background flag set by a company shows publicly only once a regulator confirms it.
ALTER TABLE workers ADD COLUMN bg_confirmed_by INTEGER REFERENCES users (id);
ALTER TABLE workers ADD COLUMN bg_confirmed_at INTEGER;

-- 诚信示范企业 (kind 'model', named by a regulator) and 标杆企业 ('benchmark', by an
-- association), per year, with the issuing office.
CREATE TABLE company_designations (
    id           INTEGER PRIMARY KEY,
    company_id   INTEGER NOT NULL REFERENCES companies (id),
    kind         TEXT NOT NULL CHECK (kind = 'model' OR kind = 'benchmark'),
    year         INTEGER NOT NULL,
    issuer       TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    withdrawn_at INTEGER,
    UNIQUE (company_id, kind, year)
);

-- The company rating reads a company's reviews.
CREATE INDEX reviews_company ON reviews (company_id, status);
