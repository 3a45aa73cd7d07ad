-- The card check, the platform's hottest read (GET /v/TOKEN).
--
-- The check value of each card's token (core/card.h, jz_card_token_mac): a keyed hash,
-- so the server recognises the tokens it issued without verifying their Ed25519 signature
-- on every scan. NULL for cards issued before this migration until `jiazheng init` fills
-- it in; such cards are checked by their signature alone.
ALTER TABLE cards ADD COLUMN token_mac TEXT;

-- Indexes that hold all a scan reads of a worker's credentials and employments, so that a
-- scan of a random card reads one page of each instead of an index page and a table page
-- (on 1,000,000 workers the pages of 10,000 cards do not fit in memory); with id, the
-- current employers come in the order the page lists them without a sort.
CREATE INDEX credentials_expiry ON credentials (worker_id, kind, expires);
DROP INDEX employments_worker;
CREATE INDEX employments_worker ON employments (worker_id, ended, started, id, company_id);
