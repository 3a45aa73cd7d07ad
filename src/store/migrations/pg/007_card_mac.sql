-- The check value of each card's token (core/card.h, jz_card_token_mac): a keyed hash,
-- so the server recognises the tokens it issued without verifying their Ed25519 signature
-- on every scan. NULL for cards issued before this migration until `jiazheng init` fills
-- it in; such cards are checked by their signature alone.
ALTER TABLE cards ADD COLUMN token_mac TEXT;
