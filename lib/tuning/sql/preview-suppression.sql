-- What a suppression rule would hide, before it is saved: the findings matching every criterion
-- it sets, exactly as apply-suppressions.sql matches them, most serious first (escalated, then
-- Critical, then by tier and usernames), with how many there are in all.
-- $1 dataset id (NULL: the rule covers every dataset)   $2 cidr (NULL: any source)
-- $3 every-username pattern   $4 user-agent pattern   $5 app name   $6 expiry (NULL: none)
-- $7 at most this many rows
WITH rule AS (
    SELECT $2::cidr AS cidr, $6::timestamptz AS expires_at, $5::text AS app_name,
           replace(replace(replace(replace(lower($3::text), '\', '\\'), '%', '\%'), '_', '\_'), '*', '%') AS upn_like,
           replace(replace(replace(replace(lower($4::text), '\', '\\'), '%', '\%'), '_', '\_'), '*', '%') AS ua_like
),
matched AS (
    SELECT f.id, f.dataset_id, d.name AS dataset_name, host(f.ip_address) AS ip_address, f.bucket, f.kind,
           f.verdict, f.unique_usernames, f.escalated, f.suppressed_by_id,
           (f.escalated OR t.severity::text = 'critical') AS critical
    FROM findings f
    JOIN datasets d ON d.id = f.dataset_id
    CROSS JOIN rule r
    LEFT JOIN triage_records t ON t.dataset_id = f.dataset_id AND t.kind = f.kind AND t.bucket = f.bucket AND t.key_hash = f.key_hash
    WHERE ($1::int IS NULL OR f.dataset_id = $1::int)
      AND (r.expires_at IS NULL OR f.last_seen <= r.expires_at)
      AND (r.cidr IS NULL OR f.ip_address <<= r.cidr)
      AND (r.ua_like IS NULL OR lower(f.user_agent) LIKE r.ua_like)
      AND (r.app_name IS NULL OR r.app_name = ANY(f.app_list))
      AND (r.upn_like IS NULL OR NOT EXISTS (
             SELECT 1 FROM sign_in_events e
             WHERE e.dataset_id = f.dataset_id AND e.ip_address = f.ip_address
               AND e.created_at >= f.bucket AND e.created_at < f.bucket + make_interval(mins => f.window_minutes)
               AND e.client_app_used = f.client_app_used AND e.user_agent = f.user_agent
               AND e.error_code = ANY(f.error_codes) AND e.user_principal_name <> ''
               AND e.user_principal_name NOT LIKE r.upn_like))
)
SELECT m.*,
       count(*) OVER ()::int AS total,
       count(*) FILTER (WHERE m.critical) OVER ()::int AS critical_total,
       count(*) FILTER (WHERE m.verdict = 'High Confidence Enumeration') OVER ()::int AS high_total
FROM matched m
ORDER BY m.escalated DESC, m.critical DESC,
         array_position(ARRAY['High Confidence Enumeration','Moderate Enumeration','Low-Level Enumeration'], m.verdict::text),
         m.unique_usernames DESC, m.id
LIMIT $7::int
