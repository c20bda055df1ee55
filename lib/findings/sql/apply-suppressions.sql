-- Marks the dataset's findings that an active suppression rule covers (they stay visible under
-- a filter). A rule matches when every criterion it sets holds: the source IP inside its CIDR,
-- the user agent like its pattern, its app among the finding's apps, and every username of the
-- finding like its UPN pattern. Patterns use * for "anything", compared case-insensitively.
-- An expiry is a point on the logs' clock, not the wall clock's: a pen-test rule ending on Friday
-- keeps covering the engagement's findings after Friday (re-imports, later reviews), and covers
-- no finding that reaches past it (a 24-hour window that began in the engagement and goes on
-- into Saturday's probing from the same range is reported).
-- $1 dataset id, $2 only these finding ids int[] (after an append, the ones it changed: the
-- others, and the rules, are as they were); NULL: all
WITH rules AS (
    SELECT id, cidr, expires_at,
           replace(replace(replace(replace(lower(upn_pattern), '\', '\\'), '%', '\%'), '_', '\_'), '*', '%') AS upn_like,
           replace(replace(replace(replace(lower(user_agent_pattern), '\', '\\'), '%', '\%'), '_', '\_'), '*', '%') AS ua_like,
           app_name
    FROM suppression_rules
    WHERE enabled
      AND (dataset_id IS NULL OR dataset_id = $1::int)
),
matched AS (
    SELECT DISTINCT ON (f.id) f.id, r.id AS rule_id
    FROM findings f
    JOIN rules r
      ON (r.expires_at IS NULL OR f.last_seen <= r.expires_at)
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
    WHERE f.dataset_id = $1::int
      AND ($2::int[] IS NULL OR f.id = ANY($2::int[]))
    ORDER BY f.id, r.id
)
UPDATE findings f SET suppressed_by_id = m.rule_id
  FROM findings g LEFT JOIN matched m ON m.id = g.id
 WHERE f.id = g.id AND g.dataset_id = $1::int
   AND ($2::int[] IS NULL OR g.id = ANY($2::int[]))
