-- Card faces: what a card scan shows of its worker, one row per worker who has a card.
--
-- A scan (GET /v/TOKEN) is the platform's hottest read. Computed on every scan it took
-- ten correlated subqueries over six large tables, each a random page on a big database
-- (the pages of 10,000 cards among 1,000,000 workers do not fit in the connections'
-- caches, so most scans went to the file). Kept here, a scan reads the card, its face and
-- its company: small tables that stay in memory.
--
-- The face holds raw facts, not verdicts: readiness, stars and "active" depend on the day
-- of the scan and are worked out then (services/cards.c). `negatives` counts published
-- negative records whether or not they have expired; when it is not 0 the scan lists the
-- ones that still count. `expiries` and `equipment` have the format of the store's
-- FACTS_COLUMNS (src/store/facts.h): latest expiry of insurance|work permit or skill
-- certificate|health certificate ('-' none, '9999-99-99' never), and a bit set of the
-- equipment issued by a current employer (1 uniform, 2 tool kit). `employers` are the
-- current employers' names, latest first, joined by '、'.
--
-- Triggers keep the face in step with every write to what it shows, inside the writing
-- transaction; for a worker without a card they find no face and do nothing.
CREATE TABLE card_faces (
    worker_id        INTEGER PRIMARY KEY REFERENCES workers (id),
    name             TEXT NOT NULL DEFAULT '',
    birth_date       TEXT NOT NULL DEFAULT '',
    native_region    TEXT NOT NULL DEFAULT '',
    service_types    TEXT NOT NULL DEFAULT '',
    id_check_method  TEXT NOT NULL DEFAULT '',
    id_check_at      INTEGER NOT NULL DEFAULT 0,
    bg_status        TEXT NOT NULL DEFAULT 'pending',
    bg_at            INTEGER NOT NULL DEFAULT 0,
    bg_confirmed_at  INTEGER NOT NULL DEFAULT 0,
    consent_method   TEXT NOT NULL DEFAULT '',
    expiries         TEXT NOT NULL DEFAULT '-|-|-',
    equipment        INTEGER NOT NULL DEFAULT 0,
    last_checkin     TEXT NOT NULL DEFAULT '',
    reviews          INTEGER NOT NULL DEFAULT 0,
    review_points    INTEGER NOT NULL DEFAULT 0,
    first_employment TEXT NOT NULL DEFAULT '',
    negatives        INTEGER NOT NULL DEFAULT 0,
    employers        TEXT NOT NULL DEFAULT '',
    refresh          INTEGER NOT NULL DEFAULT 0 -- set to 1 to recompute the face
);

-- The face of every worker, computed; the triggers read one worker of it at a time.
CREATE VIEW card_face_source AS
SELECT w.id AS worker_id, w.name, w.birth_date, w.native_region, w.service_types,
    w.id_check_method, COALESCE(w.id_check_at, 0) AS id_check_at, w.bg_status,
    COALESCE(w.bg_at, 0) AS bg_at, COALESCE(w.bg_confirmed_at, 0) AS bg_confirmed_at,
    w.consent_method,
    (SELECT COALESCE(MAX(CASE WHEN c.kind = 'insurance' THEN CASE WHEN c.expires = '' THEN '9999-99-99' ELSE c.expires END END), '-')
        || '|' || COALESCE(MAX(CASE WHEN c.kind = 'work_permit' OR c.kind = 'skill' THEN CASE WHEN c.expires = '' THEN '9999-99-99' ELSE c.expires END END), '-')
        || '|' || COALESCE(MAX(CASE WHEN c.kind = 'health' THEN CASE WHEN c.expires = '' THEN '9999-99-99' ELSE c.expires END END), '-')
     FROM credentials c WHERE c.worker_id = w.id) AS expiries,
    (SELECT COALESCE(MAX(CASE WHEN q.kind = 'uniform' THEN 1 ELSE 0 END), 0)
        + COALESCE(MAX(CASE WHEN q.kind = 'toolkit' THEN 2 ELSE 0 END), 0)
     FROM equipment q JOIN employments e ON e.worker_id = q.worker_id
         AND e.company_id = q.company_id AND e.ended IS NULL
     WHERE q.worker_id = w.id) AS equipment,
    COALESCE((SELECT MAX(month) FROM checkins WHERE worker_id = w.id), '') AS last_checkin,
    (SELECT COUNT(*) FROM reviews WHERE worker_id = w.id AND status <> 'hidden') AS reviews,
    (SELECT COALESCE(SUM(skill + attitude + punctuality + honesty), 0) FROM reviews
     WHERE worker_id = w.id AND status <> 'hidden') AS review_points,
    COALESCE((SELECT MIN(started) FROM employments WHERE worker_id = w.id), '') AS first_employment,
    (SELECT COUNT(*) FROM credit_records r WHERE r.worker_id = w.id
         AND r.status = 'published' AND r.polarity = 'negative') AS negatives,
    COALESCE((SELECT group_concat(name, '、') FROM
        (SELECT co.name FROM employments e JOIN companies co ON co.id = e.company_id
         WHERE e.worker_id = w.id AND e.ended IS NULL ORDER BY e.started DESC, e.id DESC)), '')
        AS employers
FROM workers w;

-- Setting refresh recomputes the face (and puts refresh back to 0), so the triggers on
-- the tables it shows say only which face, and this statement is written once.
-- `UPDATE card_faces SET refresh = 1` recomputes them all.
CREATE TRIGGER card_face_refresh AFTER UPDATE OF refresh ON card_faces WHEN NEW.refresh = 1
BEGIN
    UPDATE card_faces SET (name, birth_date, native_region, service_types, id_check_method,
        id_check_at, bg_status, bg_at, bg_confirmed_at, consent_method, expiries, equipment,
        last_checkin, reviews, review_points, first_employment, negatives, employers,
        refresh) =
        (SELECT name, birth_date, native_region, service_types, id_check_method, id_check_at,
            bg_status, bg_at, bg_confirmed_at, consent_method, expiries, equipment,
            last_checkin, reviews, review_points, first_employment, negatives, employers, 0
         FROM card_face_source s WHERE s.worker_id = NEW.worker_id)
    WHERE worker_id = NEW.worker_id;
END;

-- A worker gets a face with their first card.
CREATE TRIGGER card_face_card AFTER INSERT ON cards BEGIN
    INSERT INTO card_faces (worker_id) VALUES (NEW.worker_id) ON CONFLICT DO NOTHING;
    UPDATE card_faces SET refresh = 1 WHERE worker_id = NEW.worker_id;
END;

CREATE TRIGGER card_face_worker AFTER UPDATE OF name, birth_date, native_region,
    service_types, id_check_method, id_check_at, bg_status, bg_at, bg_confirmed_at,
    consent_method ON workers
BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = NEW.id;
END;

CREATE TRIGGER card_face_company AFTER UPDATE OF name ON companies BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id IN
        (SELECT worker_id FROM employments WHERE company_id = NEW.id AND ended IS NULL);
END;

CREATE TRIGGER card_face_credentials_insert AFTER INSERT ON credentials BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = NEW.worker_id;
END;
CREATE TRIGGER card_face_credentials_update AFTER UPDATE ON credentials BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id IN (OLD.worker_id, NEW.worker_id);
END;
CREATE TRIGGER card_face_credentials_delete AFTER DELETE ON credentials BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = OLD.worker_id;
END;
CREATE TRIGGER card_face_equipment_insert AFTER INSERT ON equipment BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = NEW.worker_id;
END;
CREATE TRIGGER card_face_equipment_update AFTER UPDATE ON equipment BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id IN (OLD.worker_id, NEW.worker_id);
END;
CREATE TRIGGER card_face_equipment_delete AFTER DELETE ON equipment BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = OLD.worker_id;
END;
CREATE TRIGGER card_face_employments_insert AFTER INSERT ON employments BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = NEW.worker_id;
END;
CREATE TRIGGER card_face_employments_update AFTER UPDATE ON employments BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id IN (OLD.worker_id, NEW.worker_id);
END;
CREATE TRIGGER card_face_employments_delete AFTER DELETE ON employments BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = OLD.worker_id;
END;
CREATE TRIGGER card_face_checkins_insert AFTER INSERT ON checkins BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = NEW.worker_id;
END;
CREATE TRIGGER card_face_checkins_update AFTER UPDATE ON checkins BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id IN (OLD.worker_id, NEW.worker_id);
END;
CREATE TRIGGER card_face_checkins_delete AFTER DELETE ON checkins BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = OLD.worker_id;
END;
CREATE TRIGGER card_face_reviews_insert AFTER INSERT ON reviews BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = NEW.worker_id;
END;
CREATE TRIGGER card_face_reviews_update AFTER UPDATE ON reviews BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id IN (OLD.worker_id, NEW.worker_id);
END;
CREATE TRIGGER card_face_reviews_delete AFTER DELETE ON reviews BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = OLD.worker_id;
END;
CREATE TRIGGER card_face_credit_records_insert AFTER INSERT ON credit_records BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = NEW.worker_id;
END;
CREATE TRIGGER card_face_credit_records_update AFTER UPDATE ON credit_records BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id IN (OLD.worker_id, NEW.worker_id);
END;
CREATE TRIGGER card_face_credit_records_delete AFTER DELETE ON credit_records BEGIN
    UPDATE card_faces SET refresh = 1 WHERE worker_id = OLD.worker_id;
END;

-- The faces of the cards issued so far.
INSERT INTO card_faces (worker_id) SELECT DISTINCT worker_id FROM cards;
UPDATE card_faces SET refresh = 1;
