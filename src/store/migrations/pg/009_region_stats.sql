-- Region figures for the dashboards (issue #6), kept up to date as data changes.
-- The same tables and rules as sqlite/009_region_stats.sql (read its comment): one row
-- per county in region_stats, one per county and month in region_monthly, counts
-- changed by triggers in the writing transaction, stood aside while stats_paused holds
-- a row (visible only to the bulk loader's own transaction), calendar-dependent figures
-- recomputed by `jiazheng stats rebuild`.

CREATE TABLE region_stats (
    county        TEXT PRIMARY KEY,
    c_pending     BIGINT NOT NULL DEFAULT 0,
    c_active      BIGINT NOT NULL DEFAULT 0,
    c_rejected    BIGINT NOT NULL DEFAULT 0,
    c_suspended   BIGINT NOT NULL DEFAULT 0,
    c_revoked     BIGINT NOT NULL DEFAULT 0,
    w_entered     BIGINT NOT NULL DEFAULT 0,
    w_verified    BIGINT NOT NULL DEFAULT 0,
    w_consented   BIGINT NOT NULL DEFAULT 0,
    w_carded      BIGINT NOT NULL DEFAULT 0,
    w_ready       BIGINT NOT NULL DEFAULT 0,
    reviews       BIGINT NOT NULL DEFAULT 0,
    review_points BIGINT NOT NULL DEFAULT 0,
    neg_records   BIGINT NOT NULL DEFAULT 0,
    open_appeals  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE region_monthly (
    county        TEXT NOT NULL,
    month         TEXT NOT NULL,
    checked_in    BIGINT NOT NULL DEFAULT 0,
    reviews       BIGINT NOT NULL DEFAULT 0,
    review_points BIGINT NOT NULL DEFAULT 0,
    w_entered     BIGINT NOT NULL DEFAULT 0,
    w_consented   BIGINT NOT NULL DEFAULT 0,
    w_carded      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (county, month)
);

CREATE TABLE stats_paused (id BIGINT PRIMARY KEY);

CREATE TABLE stats_meta (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    rebuilt_on TEXT NOT NULL,
    rebuilt_at BIGINT NOT NULL
);

CREATE FUNCTION stats_paused() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM stats_paused) $$;

-- Adds d to the company-status columns of a county.
CREATE FUNCTION stats_company_add(p_county TEXT, p_status TEXT, d BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO region_stats (county) VALUES (p_county) ON CONFLICT (county) DO NOTHING;
    UPDATE region_stats SET c_pending = c_pending + d * (p_status = 'pending')::int,
        c_active = c_active + d * (p_status = 'active')::int,
        c_rejected = c_rejected + d * (p_status = 'rejected')::int,
        c_suspended = c_suspended + d * (p_status = 'suspended')::int,
        c_revoked = c_revoked + d * (p_status = 'revoked')::int
    WHERE county = p_county;
$$;

CREATE FUNCTION stats_companies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF stats_paused() THEN RETURN NULL; END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.status = NEW.status AND OLD.county = NEW.county THEN RETURN NULL; END IF;
        PERFORM stats_company_add(OLD.county, OLD.status, -1);
    END IF;
    PERFORM stats_company_add(NEW.county, NEW.status, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER stats_companies AFTER INSERT OR UPDATE OF status, county ON companies
FOR EACH ROW EXECUTE FUNCTION stats_companies();

-- The worker's current state entering (d = 1) or leaving (d = -1) a county.
CREATE FUNCTION stats_employment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d BIGINT;
    v_county TEXT;
BEGIN
    IF stats_paused() THEN RETURN NULL; END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.ended IS NOT NULL THEN RETURN NULL; END IF;
        d := 1;
    ELSE
        IF (OLD.ended IS NULL) = (NEW.ended IS NULL) THEN RETURN NULL; END IF;
        d := CASE WHEN NEW.ended IS NULL THEN 1 ELSE -1 END;
    END IF;
    SELECT county INTO v_county FROM companies WHERE id = NEW.company_id;
    INSERT INTO region_stats (county) VALUES (v_county) ON CONFLICT (county) DO NOTHING;
    UPDATE region_stats SET w_entered = w_entered + d,
        w_verified = w_verified + d * (SELECT (id_check_method <> '')::int FROM workers WHERE id = NEW.worker_id),
        w_consented = w_consented + d * (SELECT (consent_method <> '')::int FROM workers WHERE id = NEW.worker_id),
        w_carded = w_carded + d * (EXISTS (SELECT 1 FROM cards WHERE worker_id = NEW.worker_id AND status = 'active'))::int
    WHERE county = v_county;
    INSERT INTO region_monthly (county, month, checked_in)
    SELECT v_county, k.month, d FROM checkins k
    WHERE k.worker_id = NEW.worker_id AND k.month >= to_char(CURRENT_DATE, 'YYYY-MM')
    ON CONFLICT (county, month) DO UPDATE SET checked_in = region_monthly.checked_in + d;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_employment AFTER INSERT OR UPDATE OF ended ON employments
FOR EACH ROW EXECUTE FUNCTION stats_employment();

-- Adds d per current employment of the worker, in each county, to one column.
CREATE FUNCTION stats_worker_add(p_worker BIGINT, p_column TEXT, d BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('UPDATE region_stats r SET %1$I = r.%1$I + $2 * x.n FROM'
                   ' (SELECT c.county, COUNT(*) AS n FROM employments e JOIN companies c ON c.id = e.company_id'
                   '  WHERE e.worker_id = $1 AND e.ended IS NULL GROUP BY c.county) x WHERE r.county = x.county',
                   p_column) USING p_worker, d;
END $$;

CREATE FUNCTION stats_workers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF stats_paused() THEN RETURN NULL; END IF;
    IF (OLD.id_check_method <> '') <> (NEW.id_check_method <> '') THEN
        PERFORM stats_worker_add(NEW.id, 'w_verified', CASE WHEN NEW.id_check_method <> '' THEN 1 ELSE -1 END);
    END IF;
    IF (OLD.consent_method <> '') <> (NEW.consent_method <> '') THEN
        PERFORM stats_worker_add(NEW.id, 'w_consented', CASE WHEN NEW.consent_method <> '' THEN 1 ELSE -1 END);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_workers AFTER UPDATE OF id_check_method, consent_method ON workers
FOR EACH ROW EXECUTE FUNCTION stats_workers();

CREATE FUNCTION stats_cards() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF stats_paused() THEN RETURN NULL; END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'active' THEN PERFORM stats_worker_add(NEW.worker_id, 'w_carded', 1); END IF;
    ELSIF OLD.status <> NEW.status THEN
        PERFORM stats_worker_add(NEW.worker_id, 'w_carded', CASE WHEN NEW.status = 'active' THEN 1 ELSE -1 END);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_cards AFTER INSERT OR UPDATE OF status ON cards
FOR EACH ROW EXECUTE FUNCTION stats_cards();

CREATE FUNCTION stats_checkins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF stats_paused() THEN RETURN NULL; END IF;
    INSERT INTO region_monthly (county, month, checked_in)
    SELECT c.county, NEW.month, COUNT(*) FROM employments e JOIN companies c ON c.id = e.company_id
    WHERE e.worker_id = NEW.worker_id AND e.ended IS NULL GROUP BY c.county
    ON CONFLICT (county, month) DO UPDATE SET checked_in = region_monthly.checked_in + excluded.checked_in;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_checkins AFTER INSERT ON checkins
FOR EACH ROW EXECUTE FUNCTION stats_checkins();

CREATE FUNCTION stats_reviews() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d BIGINT;
    v_county TEXT;
    v_points BIGINT := NEW.skill + NEW.attitude + NEW.punctuality + NEW.honesty;
    v_month TEXT := to_char(to_timestamp(NEW.created_at), 'YYYY-MM');
BEGIN
    IF stats_paused() THEN RETURN NULL; END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'hidden' THEN RETURN NULL; END IF;
        d := 1;
    ELSE
        IF (OLD.status = 'hidden') = (NEW.status = 'hidden') THEN RETURN NULL; END IF;
        d := CASE WHEN NEW.status = 'hidden' THEN -1 ELSE 1 END;
    END IF;
    SELECT county INTO v_county FROM companies WHERE id = NEW.company_id;
    INSERT INTO region_stats (county) VALUES (v_county) ON CONFLICT (county) DO NOTHING;
    UPDATE region_stats SET reviews = reviews + d, review_points = review_points + d * v_points
    WHERE county = v_county;
    INSERT INTO region_monthly (county, month, reviews, review_points) VALUES (v_county, v_month, d, d * v_points)
    ON CONFLICT (county, month) DO UPDATE SET reviews = region_monthly.reviews + d,
        review_points = region_monthly.review_points + d * v_points;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_reviews AFTER INSERT OR UPDATE OF status ON reviews
FOR EACH ROW EXECUTE FUNCTION stats_reviews();

CREATE FUNCTION stats_records() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was BOOLEAN := false;
BEGIN
    IF stats_paused() OR NEW.polarity <> 'negative' THEN RETURN NULL; END IF;
    IF TG_OP = 'UPDATE' THEN was := OLD.status = 'published'; END IF;
    IF was = (NEW.status = 'published') THEN RETURN NULL; END IF;
    INSERT INTO region_stats (county) VALUES (NEW.county) ON CONFLICT (county) DO NOTHING;
    UPDATE region_stats SET neg_records = neg_records + CASE WHEN was THEN -1 ELSE 1 END
    WHERE county = NEW.county;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_records AFTER INSERT OR UPDATE OF status ON credit_records
FOR EACH ROW EXECUTE FUNCTION stats_records();

CREATE FUNCTION stats_appeals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was BOOLEAN := false;
    v_county TEXT;
BEGIN
    IF stats_paused() THEN RETURN NULL; END IF;
    IF TG_OP = 'UPDATE' THEN was := OLD.status = 'pending'; END IF;
    IF was = (NEW.status = 'pending') THEN RETURN NULL; END IF;
    SELECT county INTO v_county FROM credit_records WHERE id = NEW.record_id;
    INSERT INTO region_stats (county) VALUES (v_county) ON CONFLICT (county) DO NOTHING;
    UPDATE region_stats SET open_appeals = open_appeals + CASE WHEN was THEN -1 ELSE 1 END
    WHERE county = v_county;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_appeals AFTER INSERT OR UPDATE OF status ON credit_appeals
FOR EACH ROW EXECUTE FUNCTION stats_appeals();
