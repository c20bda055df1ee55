-- A sliding or low-and-slow finding starts where its source's strongest window starts, so new
-- events or new settings can move it. Its triage record (status, owner, comments, audit trail)
-- follows it to the moved window of the same kind and source instead of being left behind with
-- no finding: a record without its finding moves to the overlapping finding that has no record
-- yet, the nearest start first. Each finding takes at most one record.
-- When new events moved it ($2), a closed record that moves is reopened: the window now holds
-- activity nobody has looked at, and a "benign" verdict on the old window must not quietly
-- cover it. New settings only move the window over what was judged: the record stays closed.
-- Every move is audited as the system's ($3 says why).
-- After an append ($4), only the records and findings of the source IPs of the recompute's
-- derive_scope table: a source outside it kept its windows, so its records have nowhere new to go.
-- $1 dataset id, $2 reopen closed records boolean, $3 audit label text, $4 scoped boolean
WITH orphans AS (
    SELECT t.id, t.kind, t.key_hash, t.bucket, t.status, t.classification, t.close_reason, t.review_status
    FROM triage_records t
    WHERE t.dataset_id = $1::int AND t.kind IN ('sliding', 'low_and_slow')
      AND (NOT $4::boolean OR t.ip_address IN (SELECT ip_address FROM derive_scope))
      AND NOT EXISTS (SELECT 1 FROM findings f
                      WHERE f.dataset_id = t.dataset_id AND f.kind = t.kind AND f.bucket = t.bucket AND f.key_hash = t.key_hash)
),
unclaimed AS (
    SELECT f.id AS finding_id, f.kind, f.key_hash, f.bucket, f.window_minutes
    FROM findings f
    WHERE f.dataset_id = $1::int AND f.kind IN ('sliding', 'low_and_slow')
      AND (NOT $4::boolean OR f.ip_address IN (SELECT ip_address FROM derive_scope))
      AND NOT EXISTS (SELECT 1 FROM triage_records t
                      WHERE t.dataset_id = f.dataset_id AND t.kind = f.kind AND t.bucket = f.bucket AND t.key_hash = f.key_hash)
),
nearest AS (
    SELECT DISTINCT ON (o.id) o.id, u.finding_id, u.kind, u.key_hash, u.bucket, abs(extract(epoch FROM u.bucket - o.bucket)) AS distance
    FROM orphans o
    JOIN unclaimed u
      ON u.kind = o.kind AND u.key_hash = o.key_hash
     AND o.bucket > u.bucket - make_interval(mins => u.window_minutes)
     AND o.bucket < u.bucket + make_interval(mins => u.window_minutes)
    ORDER BY o.id, distance, u.bucket
),
moves AS (
    SELECT DISTINCT ON (kind, key_hash, bucket) id, finding_id, bucket
    FROM nearest
    ORDER BY kind, key_hash, bucket, distance, id
),
moved AS (
    UPDATE triage_records t
       SET bucket = m.bucket,
           updated_at = now(),
           status = CASE WHEN t.status = 'closed' AND $2::boolean THEN 'active' ELSE t.status END,
           classification = CASE WHEN t.status = 'closed' AND $2::boolean THEN NULL ELSE t.classification END,
           close_reason = CASE WHEN t.status = 'closed' AND $2::boolean THEN NULL ELSE t.close_reason END,
           closed_at = CASE WHEN t.status = 'closed' AND $2::boolean THEN NULL ELSE t.closed_at END,
           closed_by_id = CASE WHEN t.status = 'closed' AND $2::boolean THEN NULL ELSE t.closed_by_id END,
           review_status = CASE WHEN t.status = 'closed' AND $2::boolean THEN 'not_required' ELSE t.review_status END,
           reviewed_by_id = CASE WHEN t.status = 'closed' AND $2::boolean THEN NULL ELSE t.reviewed_by_id END,
           reviewed_at = CASE WHEN t.status = 'closed' AND $2::boolean THEN NULL ELSE t.reviewed_at END
      FROM moves m
     WHERE t.id = m.id
    RETURNING t.id, t.bucket, t.status, t.classification, t.review_status, m.finding_id
)
INSERT INTO audit_events (actor_id, actor_label, action, entity_type, entity_id, before, after)
SELECT NULL, $3::text,
       CASE WHEN o.status = 'closed' AND $2::boolean THEN 'triage.reopen.window-moved' ELSE 'triage.window-moved' END,
       'triage', mv.id::text,
       jsonb_build_object('window', o.bucket, 'status', o.status, 'classification', o.classification,
                          'reason', o.close_reason, 'review', o.review_status),
       jsonb_build_object('finding', mv.finding_id, 'window', mv.bucket, 'status', mv.status,
                          'classification', mv.classification, 'review', mv.review_status)
FROM moved mv
JOIN orphans o ON o.id = mv.id
