-- Card faces: what a card scan shows of its worker, one row per worker who has a card.
-- The same table and rules as sqlite/012_card_faces.sql (read its comment): raw facts, no
-- verdicts; kept in step by triggers inside the writing transaction. Here the recompute
-- is a function, card_face_refresh(worker), which the triggers call.
CREATE TABLE card_faces (
    worker_id        BIGINT PRIMARY KEY REFERENCES workers (id),
    name             TEXT NOT NULL DEFAULT '',
    birth_date       TEXT NOT NULL DEFAULT '',
    native_region    TEXT NOT NULL DEFAULT '',
    service_types    TEXT NOT NULL DEFAULT '',
    id_check_method  TEXT NOT NULL DEFAULT '',
    id_check_at      BIGINT NOT NULL DEFAULT 0,
    bg_status        TEXT NOT NULL DEFAULT 'pending',
    bg_at            BIGINT NOT NULL DEFAULT 0,
    bg_confirmed_at  BIGINT NOT NULL DEFAULT 0,
    consent_method   TEXT NOT NULL DEFAULT '',
    expiries         TEXT NOT NULL DEFAULT '-|-|-',
    equipment        BIGINT NOT NULL DEFAULT 0,
    last_checkin     TEXT NOT NULL DEFAULT '',
    reviews          BIGINT NOT NULL DEFAULT 0,
    review_points    BIGINT NOT NULL DEFAULT 0,
    first_employment TEXT NOT NULL DEFAULT '',
    negatives        BIGINT NOT NULL DEFAULT 0,
    employers        TEXT NOT NULL DEFAULT ''
);

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
    COALESCE((SELECT string_agg(co.name, '、' ORDER BY e.started DESC, e.id DESC)
        FROM employments e JOIN companies co ON co.id = e.company_id
        WHERE e.worker_id = w.id AND e.ended IS NULL), '') AS employers
FROM workers w;

-- Recomputes the face of p_worker, if the worker has one. PL/pgSQL, not SQL: a SQL
-- function's statement is planned again on every call, and planning this UPDATE over the
-- view costs milliseconds, which every row of a bulk import paid (20,000 rows took 136 s
-- instead of 9 s). Here the plan is kept for the session, and a worker without a card
-- costs one primary-key look-up.
CREATE FUNCTION card_face_refresh(p_worker BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_worker IS NULL OR NOT EXISTS (SELECT 1 FROM card_faces WHERE worker_id = p_worker) THEN
        RETURN;
    END IF;
    UPDATE card_faces f SET (name, birth_date, native_region, service_types, id_check_method,
        id_check_at, bg_status, bg_at, bg_confirmed_at, consent_method, expiries, equipment,
        last_checkin, reviews, review_points, first_employment, negatives, employers) =
        (SELECT name, birth_date, native_region, service_types, id_check_method, id_check_at,
            bg_status, bg_at, bg_confirmed_at, consent_method, expiries, equipment,
            last_checkin, reviews, review_points, first_employment, negatives, employers
         FROM card_face_source s WHERE s.worker_id = p_worker)
    WHERE f.worker_id = p_worker;
END $$;

-- For the tables with a worker_id column.
CREATE FUNCTION card_face_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.worker_id IS DISTINCT FROM NEW.worker_id) THEN
        PERFORM card_face_refresh(OLD.worker_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM card_face_refresh(NEW.worker_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER card_face_credentials AFTER INSERT OR UPDATE OR DELETE ON credentials
FOR EACH ROW EXECUTE FUNCTION card_face_touch();
CREATE TRIGGER card_face_equipment AFTER INSERT OR UPDATE OR DELETE ON equipment
FOR EACH ROW EXECUTE FUNCTION card_face_touch();
CREATE TRIGGER card_face_employments AFTER INSERT OR UPDATE OR DELETE ON employments
FOR EACH ROW EXECUTE FUNCTION card_face_touch();
CREATE TRIGGER card_face_checkins AFTER INSERT OR UPDATE OR DELETE ON checkins
FOR EACH ROW EXECUTE FUNCTION card_face_touch();
CREATE TRIGGER card_face_reviews AFTER INSERT OR UPDATE OR DELETE ON reviews
FOR EACH ROW EXECUTE FUNCTION card_face_touch();
CREATE TRIGGER card_face_credit_records AFTER INSERT OR UPDATE OR DELETE ON credit_records
FOR EACH ROW EXECUTE FUNCTION card_face_touch();

-- A worker gets a face with their first card.
CREATE FUNCTION card_face_card() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO card_faces (worker_id) VALUES (NEW.worker_id) ON CONFLICT DO NOTHING;
    PERFORM card_face_refresh(NEW.worker_id);
    RETURN NULL;
END $$;
CREATE TRIGGER card_face_card AFTER INSERT ON cards
FOR EACH ROW EXECUTE FUNCTION card_face_card();

CREATE FUNCTION card_face_worker() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM card_face_refresh(NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER card_face_worker AFTER UPDATE OF name, birth_date, native_region,
    service_types, id_check_method, id_check_at, bg_status, bg_at, bg_confirmed_at,
    consent_method ON workers
FOR EACH ROW EXECUTE FUNCTION card_face_worker();

CREATE FUNCTION card_face_company() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM card_face_refresh(e.worker_id) FROM employments e
    WHERE e.company_id = NEW.id AND e.ended IS NULL
      AND EXISTS (SELECT 1 FROM card_faces f WHERE f.worker_id = e.worker_id);
    RETURN NULL;
END $$;
CREATE TRIGGER card_face_company AFTER UPDATE OF name ON companies
FOR EACH ROW EXECUTE FUNCTION card_face_company();

-- The faces of the cards issued so far.
INSERT INTO card_faces (worker_id) SELECT DISTINCT worker_id FROM cards;
SELECT card_face_refresh(worker_id) FROM card_faces;
