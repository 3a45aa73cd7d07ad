-- Region figures for the dashboards (issue #6), kept up to date as data changes.
--
-- region_stats holds one row per county: companies by status, the worker funnel
-- (entered → identity verified → consented → carded → duty-ready), reviews and their
-- points, confirmed negative records and open appeals. Prefectures and provinces are
-- sums over their counties. A worker counts once per CURRENT employment, in the county
-- of the employing company (a worker of two companies counts in both), so every figure
-- is "employments", and a region's total adds up over its children.
--
-- The triggers below change the counts in the same transaction as the write that
-- changes the data, so every use case keeps them right without knowing about them.
-- Bulk loading (the import, the demo) inserts a row into stats_paused inside its own
-- transaction: the triggers then stand aside and the loader adds its batch's counts with
-- one statement per batch (jz_store_stats_batch_end). Other connections never see that
-- row (it is deleted before the batch commits).
--
-- What changes with the calendar and not with a write — duty readiness, card and record
-- expiry — is recomputed by `jiazheng stats rebuild` (also run by `serve` once a day).
--
-- region_monthly holds one row per county and month: check-ins, reviews and their
-- points of that month (kept by the triggers), and the month-end snapshot of the funnel
-- written by the rebuild (past months from the records' dates).

-- Both are read by a range of county codes (a prefecture's counties share its first four
-- digits, a province's its first two): WITHOUT ROWID keeps each row in its key's b-tree,
-- so reading a province is one range scan without a table look-up per row.
CREATE TABLE region_stats (
    county        TEXT PRIMARY KEY,
    c_pending     INTEGER NOT NULL DEFAULT 0,
    c_active      INTEGER NOT NULL DEFAULT 0,
    c_rejected    INTEGER NOT NULL DEFAULT 0,
    c_suspended   INTEGER NOT NULL DEFAULT 0,
    c_revoked     INTEGER NOT NULL DEFAULT 0,
    w_entered     INTEGER NOT NULL DEFAULT 0,
    w_verified    INTEGER NOT NULL DEFAULT 0,
    w_consented   INTEGER NOT NULL DEFAULT 0,
    w_carded      INTEGER NOT NULL DEFAULT 0,
    w_ready       INTEGER NOT NULL DEFAULT 0,
    reviews       INTEGER NOT NULL DEFAULT 0,
    review_points INTEGER NOT NULL DEFAULT 0,
    neg_records   INTEGER NOT NULL DEFAULT 0,
    open_appeals  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE region_monthly (
    county        TEXT NOT NULL,
    month         TEXT NOT NULL,
    checked_in    INTEGER NOT NULL DEFAULT 0,
    reviews       INTEGER NOT NULL DEFAULT 0,
    review_points INTEGER NOT NULL DEFAULT 0,
    w_entered     INTEGER NOT NULL DEFAULT 0,
    w_consented   INTEGER NOT NULL DEFAULT 0,
    w_carded      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (county, month)
) WITHOUT ROWID;

CREATE TABLE stats_paused (id INTEGER PRIMARY KEY);

CREATE TABLE stats_meta (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    rebuilt_on TEXT NOT NULL,
    rebuilt_at INTEGER NOT NULL
);

-- ---- companies ----

CREATE TRIGGER stats_company_insert AFTER INSERT ON companies
WHEN NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    INSERT INTO region_stats (county) VALUES (NEW.county) ON CONFLICT (county) DO NOTHING;
    UPDATE region_stats SET c_pending = c_pending + (NEW.status = 'pending'),
        c_active = c_active + (NEW.status = 'active'), c_rejected = c_rejected + (NEW.status = 'rejected'),
        c_suspended = c_suspended + (NEW.status = 'suspended'), c_revoked = c_revoked + (NEW.status = 'revoked')
    WHERE county = NEW.county;
END;

CREATE TRIGGER stats_company_update AFTER UPDATE OF status, county ON companies
WHEN (OLD.status <> NEW.status OR OLD.county <> NEW.county) AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    UPDATE region_stats SET c_pending = c_pending - (OLD.status = 'pending'),
        c_active = c_active - (OLD.status = 'active'), c_rejected = c_rejected - (OLD.status = 'rejected'),
        c_suspended = c_suspended - (OLD.status = 'suspended'), c_revoked = c_revoked - (OLD.status = 'revoked')
    WHERE county = OLD.county;
    INSERT INTO region_stats (county) VALUES (NEW.county) ON CONFLICT (county) DO NOTHING;
    UPDATE region_stats SET c_pending = c_pending + (NEW.status = 'pending'),
        c_active = c_active + (NEW.status = 'active'), c_rejected = c_rejected + (NEW.status = 'rejected'),
        c_suspended = c_suspended + (NEW.status = 'suspended'), c_revoked = c_revoked + (NEW.status = 'revoked')
    WHERE county = NEW.county;
END;

-- ---- employments: a worker enters (or leaves) the company's county with its state ----

CREATE TRIGGER stats_employment_insert AFTER INSERT ON employments
WHEN NEW.ended IS NULL AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    INSERT INTO region_stats (county) SELECT county FROM companies WHERE id = NEW.company_id
    ON CONFLICT (county) DO NOTHING;
    UPDATE region_stats SET w_entered = w_entered + 1,
        w_verified = w_verified + (SELECT id_check_method <> '' FROM workers WHERE id = NEW.worker_id),
        w_consented = w_consented + (SELECT consent_method <> '' FROM workers WHERE id = NEW.worker_id),
        w_carded = w_carded + EXISTS (SELECT 1 FROM cards WHERE worker_id = NEW.worker_id AND status = 'active')
    WHERE county = (SELECT county FROM companies WHERE id = NEW.company_id);
    INSERT INTO region_monthly (county, month, checked_in)
    SELECT c.county, k.month, 1 FROM checkins k, companies c
    WHERE k.worker_id = NEW.worker_id AND k.month >= strftime('%Y-%m', 'now', 'localtime') AND c.id = NEW.company_id
    ON CONFLICT (county, month) DO UPDATE SET checked_in = checked_in + 1;
END;

CREATE TRIGGER stats_employment_end AFTER UPDATE OF ended ON employments
WHEN (OLD.ended IS NULL) <> (NEW.ended IS NULL) AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    UPDATE region_stats SET w_entered = w_entered + (CASE WHEN NEW.ended IS NULL THEN 1 ELSE -1 END),
        w_verified = w_verified + (CASE WHEN NEW.ended IS NULL THEN 1 ELSE -1 END)
            * (SELECT id_check_method <> '' FROM workers WHERE id = NEW.worker_id),
        w_consented = w_consented + (CASE WHEN NEW.ended IS NULL THEN 1 ELSE -1 END)
            * (SELECT consent_method <> '' FROM workers WHERE id = NEW.worker_id),
        w_carded = w_carded + (CASE WHEN NEW.ended IS NULL THEN 1 ELSE -1 END)
            * EXISTS (SELECT 1 FROM cards WHERE worker_id = NEW.worker_id AND status = 'active')
    WHERE county = (SELECT county FROM companies WHERE id = NEW.company_id);
    UPDATE region_monthly SET checked_in = checked_in + (CASE WHEN NEW.ended IS NULL THEN 1 ELSE -1 END)
    WHERE county = (SELECT county FROM companies WHERE id = NEW.company_id)
      AND month IN (SELECT month FROM checkins WHERE worker_id = NEW.worker_id
                    AND month >= strftime('%Y-%m', 'now', 'localtime'));
END;

-- ---- a worker's checks: counted in every county that employs the worker now ----

CREATE TRIGGER stats_worker_verified AFTER UPDATE OF id_check_method ON workers
WHEN (OLD.id_check_method <> '') <> (NEW.id_check_method <> '') AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    UPDATE region_stats SET w_verified = w_verified + (CASE WHEN NEW.id_check_method <> '' THEN 1 ELSE -1 END)
        * (SELECT COUNT(*) FROM employments e JOIN companies c ON c.id = e.company_id
           WHERE e.worker_id = NEW.id AND e.ended IS NULL AND c.county = region_stats.county)
    WHERE county IN (SELECT c.county FROM employments e JOIN companies c ON c.id = e.company_id
                     WHERE e.worker_id = NEW.id AND e.ended IS NULL);
END;

CREATE TRIGGER stats_worker_consented AFTER UPDATE OF consent_method ON workers
WHEN (OLD.consent_method <> '') <> (NEW.consent_method <> '') AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    UPDATE region_stats SET w_consented = w_consented + (CASE WHEN NEW.consent_method <> '' THEN 1 ELSE -1 END)
        * (SELECT COUNT(*) FROM employments e JOIN companies c ON c.id = e.company_id
           WHERE e.worker_id = NEW.id AND e.ended IS NULL AND c.county = region_stats.county)
    WHERE county IN (SELECT c.county FROM employments e JOIN companies c ON c.id = e.company_id
                     WHERE e.worker_id = NEW.id AND e.ended IS NULL);
END;

-- ---- cards (one active card a worker at most) ----

CREATE TRIGGER stats_card_insert AFTER INSERT ON cards
WHEN NEW.status = 'active' AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    UPDATE region_stats SET w_carded = w_carded + (SELECT COUNT(*) FROM employments e JOIN companies c ON c.id = e.company_id
           WHERE e.worker_id = NEW.worker_id AND e.ended IS NULL AND c.county = region_stats.county)
    WHERE county IN (SELECT c.county FROM employments e JOIN companies c ON c.id = e.company_id
                     WHERE e.worker_id = NEW.worker_id AND e.ended IS NULL);
END;

CREATE TRIGGER stats_card_status AFTER UPDATE OF status ON cards
WHEN OLD.status <> NEW.status AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    UPDATE region_stats SET w_carded = w_carded + (CASE WHEN NEW.status = 'active' THEN 1 ELSE -1 END)
        * (SELECT COUNT(*) FROM employments e JOIN companies c ON c.id = e.company_id
           WHERE e.worker_id = NEW.worker_id AND e.ended IS NULL AND c.county = region_stats.county)
    WHERE county IN (SELECT c.county FROM employments e JOIN companies c ON c.id = e.company_id
                     WHERE e.worker_id = NEW.worker_id AND e.ended IS NULL);
END;

-- ---- check-ins: the month's count, in every county that employs the worker ----

CREATE TRIGGER stats_checkin_insert AFTER INSERT ON checkins
WHEN NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    INSERT INTO region_monthly (county, month, checked_in)
    SELECT c.county, NEW.month, COUNT(*) FROM employments e JOIN companies c ON c.id = e.company_id
    WHERE e.worker_id = NEW.worker_id AND e.ended IS NULL GROUP BY c.county
    ON CONFLICT (county, month) DO UPDATE SET checked_in = checked_in + excluded.checked_in;
END;

-- ---- reviews (hidden ones do not count), in the county of the reviewed company ----

CREATE TRIGGER stats_review_insert AFTER INSERT ON reviews
WHEN NEW.status <> 'hidden' AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    INSERT INTO region_stats (county) SELECT county FROM companies WHERE id = NEW.company_id
    ON CONFLICT (county) DO NOTHING;
    UPDATE region_stats SET reviews = reviews + 1,
        review_points = review_points + NEW.skill + NEW.attitude + NEW.punctuality + NEW.honesty
    WHERE county = (SELECT county FROM companies WHERE id = NEW.company_id);
    INSERT INTO region_monthly (county, month, reviews, review_points)
    SELECT county, strftime('%Y-%m', NEW.created_at, 'unixepoch', 'localtime'), 1,
           NEW.skill + NEW.attitude + NEW.punctuality + NEW.honesty
    FROM companies WHERE id = NEW.company_id
    ON CONFLICT (county, month) DO UPDATE SET reviews = reviews + 1,
        review_points = review_points + excluded.review_points;
END;

CREATE TRIGGER stats_review_status AFTER UPDATE OF status ON reviews
WHEN (OLD.status = 'hidden') <> (NEW.status = 'hidden') AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    UPDATE region_stats SET reviews = reviews + (CASE WHEN NEW.status = 'hidden' THEN -1 ELSE 1 END),
        review_points = review_points + (CASE WHEN NEW.status = 'hidden' THEN -1 ELSE 1 END)
            * (NEW.skill + NEW.attitude + NEW.punctuality + NEW.honesty)
    WHERE county = (SELECT county FROM companies WHERE id = NEW.company_id);
    UPDATE region_monthly SET reviews = reviews + (CASE WHEN NEW.status = 'hidden' THEN -1 ELSE 1 END),
        review_points = review_points + (CASE WHEN NEW.status = 'hidden' THEN -1 ELSE 1 END)
            * (NEW.skill + NEW.attitude + NEW.punctuality + NEW.honesty)
    WHERE county = (SELECT county FROM companies WHERE id = NEW.company_id)
      AND month = strftime('%Y-%m', NEW.created_at, 'unixepoch', 'localtime');
END;

-- ---- confirmed negative records and open appeals, in the county that handles them ----

CREATE TRIGGER stats_record_insert AFTER INSERT ON credit_records
WHEN NEW.polarity = 'negative' AND NEW.status = 'published' AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    INSERT INTO region_stats (county) VALUES (NEW.county) ON CONFLICT (county) DO NOTHING;
    UPDATE region_stats SET neg_records = neg_records + 1 WHERE county = NEW.county;
END;

CREATE TRIGGER stats_record_status AFTER UPDATE OF status ON credit_records
WHEN NEW.polarity = 'negative' AND (OLD.status = 'published') <> (NEW.status = 'published')
     AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    INSERT INTO region_stats (county) VALUES (NEW.county) ON CONFLICT (county) DO NOTHING;
    UPDATE region_stats SET neg_records = neg_records + (CASE WHEN NEW.status = 'published' THEN 1 ELSE -1 END)
    WHERE county = NEW.county;
END;

CREATE TRIGGER stats_appeal_insert AFTER INSERT ON credit_appeals
WHEN NEW.status = 'pending' AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    INSERT INTO region_stats (county) SELECT county FROM credit_records WHERE id = NEW.record_id
    ON CONFLICT (county) DO NOTHING;
    UPDATE region_stats SET open_appeals = open_appeals + 1
    WHERE county = (SELECT county FROM credit_records WHERE id = NEW.record_id);
END;

CREATE TRIGGER stats_appeal_status AFTER UPDATE OF status ON credit_appeals
WHEN (OLD.status = 'pending') <> (NEW.status = 'pending') AND NOT EXISTS (SELECT 1 FROM stats_paused)
BEGIN
    UPDATE region_stats SET open_appeals = open_appeals + (CASE WHEN NEW.status = 'pending' THEN 1 ELSE -1 END)
    WHERE county = (SELECT county FROM credit_records WHERE id = NEW.record_id);
END;
