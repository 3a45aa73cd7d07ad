-- (SQLite: CHECKs use OR, not IN, which SQLite evaluates with a temporary b-tree per row.)
-- Monthly check-in (按月打卡) without NFC: one per worker and month, with the method and
-- the assurance level it gives.
--   self     the worker, signed in on any phone browser              assurance low
--   company  the employing company attests its workers of the month   assurance medium
--   service  counted from a consumer's card scan and review           assurance high
CREATE TABLE checkins (
    id         INTEGER PRIMARY KEY,
    worker_id  INTEGER NOT NULL REFERENCES workers (id),
    month      TEXT NOT NULL,
    method     TEXT NOT NULL CHECK (method = 'self' OR method = 'company' OR method = 'service'),
    assurance  TEXT NOT NULL CHECK (assurance = 'low' OR assurance = 'medium' OR assurance = 'high'),
    company_id INTEGER REFERENCES companies (id),
    at         INTEGER NOT NULL,
    UNIQUE (worker_id, month)
);
