-- A sliding or low-and-slow finding starts where its source's strongest window starts, so new
-- events or new settings can move it. Its triage record (status, owner, comments, audit trail)
-- follows it to the moved window of the same kind and source instead of being left behind with
-- no finding: a record without its finding moves to the overlapping finding that has no record
-- yet, the nearest start first. Each finding takes at most one record.
-- $1 dataset id
WITH orphans AS (
    SELECT t.id, t.kind, t.key_hash, t.bucket
    FROM triage_records t
    WHERE t.dataset_id = $1::int AND t.kind IN ('sliding', 'low_and_slow')
      AND NOT EXISTS (SELECT 1 FROM findings f
                      WHERE f.dataset_id = t.dataset_id AND f.kind = t.kind AND f.bucket = t.bucket AND f.key_hash = t.key_hash)
),
unclaimed AS (
    SELECT f.kind, f.key_hash, f.bucket, f.window_minutes
    FROM findings f
    WHERE f.dataset_id = $1::int AND f.kind IN ('sliding', 'low_and_slow')
      AND NOT EXISTS (SELECT 1 FROM triage_records t
                      WHERE t.dataset_id = f.dataset_id AND t.kind = f.kind AND t.bucket = f.bucket AND t.key_hash = f.key_hash)
),
nearest AS (
    SELECT DISTINCT ON (o.id) o.id, u.kind, u.key_hash, u.bucket, abs(extract(epoch FROM u.bucket - o.bucket)) AS distance
    FROM orphans o
    JOIN unclaimed u
      ON u.kind = o.kind AND u.key_hash = o.key_hash
     AND o.bucket > u.bucket - make_interval(mins => u.window_minutes)
     AND o.bucket < u.bucket + make_interval(mins => u.window_minutes)
    ORDER BY o.id, distance, u.bucket
),
moves AS (
    SELECT DISTINCT ON (kind, key_hash, bucket) id, bucket
    FROM nearest
    ORDER BY kind, key_hash, bucket, distance, id
)
UPDATE triage_records t SET bucket = m.bucket, updated_at = now()
  FROM moves m
 WHERE t.id = m.id
