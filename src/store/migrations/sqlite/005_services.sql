-- Service records (上户) and the consumer's review of each. Ending a service issues a
-- one-time review code (stored hashed) that the consumer uses once.
CREATE TABLE service_records (
    id                INTEGER PRIMARY KEY,
    worker_id         INTEGER NOT NULL REFERENCES workers (id),
    company_id        INTEGER NOT NULL REFERENCES companies (id),
    service_type      TEXT NOT NULL,
    county            TEXT NOT NULL,
    started           TEXT NOT NULL,
    ended             TEXT,
    review_code_hash  TEXT,
    review_code_until INTEGER,
    created_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX service_records_code ON service_records (review_code_hash) WHERE review_code_hash IS NOT NULL;
CREATE INDEX service_records_worker ON service_records (worker_id);

CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    service_id    INTEGER NOT NULL UNIQUE REFERENCES service_records (id),
    worker_id     INTEGER NOT NULL REFERENCES workers (id),
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    skill         INTEGER NOT NULL CHECK (skill BETWEEN 1 AND 5),
    attitude      INTEGER NOT NULL CHECK (attitude BETWEEN 1 AND 5),
    punctuality   INTEGER NOT NULL CHECK (punctuality BETWEEN 1 AND 5),
    honesty       INTEGER NOT NULL CHECK (honesty BETWEEN 1 AND 5),
    comment       TEXT NOT NULL DEFAULT '',
    company_reply TEXT NOT NULL DEFAULT '',
    worker_reply  TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'visible' CHECK (status = 'visible' OR status = 'reported' OR status = 'hidden'),
    report_reason TEXT NOT NULL DEFAULT '',
    moderated_by  TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);
CREATE INDEX reviews_worker ON reviews (worker_id, status);
CREATE INDEX reviews_status ON reviews (status);
