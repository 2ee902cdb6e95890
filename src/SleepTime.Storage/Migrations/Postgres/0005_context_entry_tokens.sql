-- Each context entry keeps its token count (o200k, counted when it is added: exactly on its first 4,096
-- characters, scaled by length beyond), so a context's schedule can sleep after N unread transcript tokens, as an
-- agent's does. Entries added before this migration get an estimate of one token per four characters.
ALTER TABLE context_entries ADD COLUMN tokens BIGINT NOT NULL DEFAULT 0;
UPDATE context_entries SET tokens = (LENGTH(text) + 3) / 4;
