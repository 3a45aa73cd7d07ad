-- Credentials keyed by what identifies one: the worker, the kind and the number (as on
-- SQLite, where this saves two B-trees per credential). The key carries the expiry date
-- so that a card scan reads a worker's credentials from the index alone, which replaces
-- credentials_expiry. The identity column was never shown or referred to.
DROP INDEX credentials_expiry;
ALTER TABLE credentials DROP COLUMN id;
ALTER TABLE credentials DROP CONSTRAINT credentials_worker_id_kind_number_key;
ALTER TABLE credentials ADD PRIMARY KEY (worker_id, kind, number) INCLUDE (expires);
