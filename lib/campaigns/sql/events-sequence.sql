-- The last id the events' sequence handed out (0: none yet). Every event of a dataset stored so
-- far has an id at or below it, and every event imported later a higher one: imports and the
-- recompute take the dataset's lock in turn, and the ids come from the sequence inside the
-- import's transaction, under that lock.
SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('sign_in_events', 'id')::regclass), 0)::text AS seen
