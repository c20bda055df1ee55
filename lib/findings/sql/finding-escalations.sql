-- "The password was right": a username a finding probed later shows a code meaning the
-- password was correct (success, MFA required, expired password …), from the same IP, the same
-- network (/24, /48 for IPv6) or a source of the same campaign, within the horizon after the
-- probing. Replaces the escalations of the findings in the recompute's escalation_scope table
-- (all of the dataset's in a full recompute; lib/derive/escalations.ts) and flags them.
-- $1 dataset id, $2 "password right" codes text[], $3 horizon interval, $4 codes that mean a
-- username was probed besides the finding's own (the existence-confirming ones, e.g. 50126),
-- $5 minimum failure share float8 of attacker infrastructure (failures with the campaign codes,
-- as campaign_source_totals counts them: the recompute brings them up to date before this runs),
-- $6 boolean: read the successes of the scoped findings' networks and campaigns in the hours they
-- can count (a scoped recompute) rather than every success of their addresses (a full one)
--
-- A sign-in from an address where the user had already proved their password before the probing
-- began is their usual place (the office behind a NAT the rule flagged), not the attacker's. A
-- neighbour address (same network, same campaign) counts only when it is attacker
-- infrastructure like the finding's: most of its sign-ins fail. An office next door, where
-- people sign in all day, is not.
--
-- Successes are most of any sign-in log, so they are read from the hourly rollup (one row per
-- hour, source, user and code) in one pass joined on the probed usernames, never per finding
-- from the events; only the chosen hit's event is looked up, by its address and time.
WITH probed AS MATERIALIZED (
    -- A finding of whole hours reads its usernames from the rollup; only sliding windows, which
    -- start at any minute, read the events. The findings in scope as one array, looked up by id:
    -- as IN (SELECT …) it was checked after joining every finding of the dataset to its rollup rows.
    SELECT DISTINCT finding_id, finding_ip, campaign_id, first_seen, last_seen, user_principal_name
    FROM (
        SELECT f.id AS finding_id, f.ip_address AS finding_ip, f.campaign_id, f.first_seen, f.last_seen, r.user_principal_name
        FROM findings f
        JOIN sign_in_hourly_rollup r
          ON r.dataset_id = f.dataset_id AND r.ip_address = f.ip_address
         AND r.bucket >= f.bucket AND r.bucket < f.bucket + make_interval(mins => f.window_minutes)
         AND r.client_app_used = f.client_app_used AND r.user_agent = f.user_agent
        WHERE f.dataset_id = $1::int AND extract(epoch FROM f.bucket) % 3600 = 0 AND f.window_minutes % 60 = 0
          AND f.id = ANY (ARRAY(SELECT finding_id FROM escalation_scope))
          AND (r.error_code = ANY(f.error_codes) OR r.error_code = ANY($4::text[]))
        UNION ALL
        SELECT f.id, f.ip_address, f.campaign_id, f.first_seen, f.last_seen, e.user_principal_name
        FROM findings f
        JOIN sign_in_events e
          ON e.dataset_id = f.dataset_id AND e.ip_address = f.ip_address
         AND e.created_at >= f.bucket AND e.created_at < f.bucket + make_interval(mins => f.window_minutes)
         AND e.client_app_used = f.client_app_used AND e.user_agent_id = user_agent_key(f.user_agent)
        WHERE f.dataset_id = $1::int AND NOT (extract(epoch FROM f.bucket) % 3600 = 0 AND f.window_minutes % 60 = 0)
          AND f.id = ANY (ARRAY(SELECT finding_id FROM escalation_scope))
          AND e.user_principal_name <> ''
          AND (e.error_code = ANY(f.error_codes) OR e.error_code = ANY($4::text[]))
    ) attempts
),
scoped AS MATERIALIZED (
    -- each finding once, with its network (/24, /48), the widest its related addresses reach
    -- besides its campaign's
    SELECT DISTINCT finding_id, finding_ip, campaign_id, first_seen, last_seen,
           network(set_masklen(finding_ip, CASE WHEN family(finding_ip) = 4 THEN 24 ELSE 48 END)) AS network
    FROM probed
),
network_rights AS MATERIALIZED (
    -- A scoped recompute ($6): the "password right" sign-ins of each network its findings are in
    -- (any other address has no relation to them but their campaign's), read once per network over
    -- the hours any of its findings can count: from the earliest first attempt to the horizon after
    -- the latest. The rollup's address index ranges over the network's addresses whatever the
    -- hours, so a read per finding re-read the same rows for every finding of a busy network.
    -- (Addresses are stored as hosts, /32 or /128: the range is the network.)
    SELECT n.network, r.user_principal_name, r.ip_address, r.error_code, r.bucket, r.first_seen, r.last_seen
    FROM (SELECT network, min(first_seen) AS first_seen, max(last_seen) AS last_seen FROM scoped GROUP BY network) n
    JOIN sign_in_hourly_rollup r
      ON r.dataset_id = $1::int
     AND r.ip_address >= set_masklen(n.network::inet, CASE WHEN family(n.network) = 4 THEN 32 ELSE 128 END)
     AND r.ip_address <= set_masklen(broadcast(n.network), CASE WHEN family(n.network) = 4 THEN 32 ELSE 128 END)
     AND r.ip_address <<= n.network
     AND r.bucket >= date_trunc('hour', n.first_seen) AND r.bucket <= n.last_seen + $3::interval
     AND r.error_code = ANY($2::text[])
    WHERE $6::boolean
),
campaign_rights AS MATERIALIZED (
    -- The same once per campaign, from its sources' addresses. Per finding, a month-long campaign
    -- of rotating addresses had every address looked up again for each of its findings: ~25 ms a
    -- finding, a minute for all of one campaign's, which an append that changes its addresses asks.
    SELECT c.campaign_id, r.user_principal_name, r.ip_address, r.error_code, r.bucket, r.first_seen, r.last_seen
    FROM (SELECT campaign_id, min(first_seen) AS first_seen, max(last_seen) AS last_seen
          FROM scoped WHERE campaign_id IS NOT NULL GROUP BY campaign_id) c
    JOIN (SELECT DISTINCT campaign_id, ip_address FROM campaign_sources) cs ON cs.campaign_id = c.campaign_id
    JOIN sign_in_hourly_rollup r
      ON r.dataset_id = $1::int AND r.ip_address = cs.ip_address
     AND r.bucket >= date_trunc('hour', c.first_seen) AND r.bucket <= c.last_seen + $3::interval
     AND r.error_code = ANY($2::text[])
    WHERE $6::boolean
),
password_right AS MATERIALIZED (
    -- Every finding at once ($6 false: a full recompute): one pass over the successes of the
    -- probed names from the addresses any finding can relate to (the findings' networks and
    -- their campaigns' addresses, by the rollup's address index), cheaper than a look per
    -- finding when every finding is looked at, and than the tenant's successes (most of the
    -- log). usual_since: when the user first proved the password right from that address in the
    -- data (for every finding that probed the name); every success of an address read is read,
    -- so it is the same as over the whole dataset.
    SELECT r.user_principal_name, r.ip_address, r.error_code, r.first_seen, r.last_seen,
           min(r.first_seen) OVER (PARTITION BY r.user_principal_name, r.ip_address) AS usual_since
    FROM (
        SELECT r.user_principal_name, r.ip_address, r.error_code, r.first_seen, r.last_seen
        FROM (SELECT DISTINCT network FROM scoped) n
        JOIN sign_in_hourly_rollup r
          ON r.dataset_id = $1::int
         AND r.ip_address >= set_masklen(n.network::inet, CASE WHEN family(n.network) = 4 THEN 32 ELSE 128 END)
         AND r.ip_address <= set_masklen(broadcast(n.network), CASE WHEN family(n.network) = 4 THEN 32 ELSE 128 END)
         AND r.ip_address <<= n.network
        WHERE r.error_code = ANY($2::text[])
        UNION ALL
        -- campaign addresses outside every finding's network (the others were read above)
        SELECT r.user_principal_name, r.ip_address, r.error_code, r.first_seen, r.last_seen
        FROM (SELECT DISTINCT cs.ip_address
              FROM campaign_sources cs
              WHERE cs.campaign_id IN (SELECT campaign_id FROM scoped)
                AND network(set_masklen(cs.ip_address, CASE WHEN family(cs.ip_address) = 4 THEN 24 ELSE 48 END))
                    NOT IN (SELECT network FROM scoped)) a
        JOIN sign_in_hourly_rollup r ON r.dataset_id = $1::int AND r.ip_address = a.ip_address
        WHERE r.error_code = ANY($2::text[])
    ) r
    WHERE NOT $6::boolean
      AND r.user_principal_name IN (SELECT user_principal_name FROM probed)
),
related_rows AS (
    -- Each probed name's "password right" sign-ins a finding can count, matched on the name
    -- first: scoped, from its network or its campaign's addresses in the hours from its first
    -- attempt to the horizon after its last; in full, from any address read (the relation below
    -- keeps the related ones). UNION: a campaign address in the finding's network is read twice.
    SELECT p.finding_id, p.finding_ip, p.campaign_id, p.user_principal_name, p.first_seen, r.ip_address, r.error_code,
           r.first_seen AS right_first_seen, r.last_seen, NULL::timestamptz AS usual_since
    FROM probed p
    JOIN network_rights r
      ON r.network = network(set_masklen(p.finding_ip, CASE WHEN family(p.finding_ip) = 4 THEN 24 ELSE 48 END))
     AND r.user_principal_name = p.user_principal_name
     AND r.bucket >= date_trunc('hour', p.first_seen) AND r.bucket <= p.last_seen + $3::interval
    WHERE r.last_seen >= p.first_seen AND r.first_seen <= p.last_seen + $3::interval
    UNION
    SELECT p.finding_id, p.finding_ip, p.campaign_id, p.user_principal_name, p.first_seen, r.ip_address, r.error_code,
           r.first_seen, r.last_seen, NULL::timestamptz
    FROM probed p
    JOIN campaign_rights r
      ON r.campaign_id = p.campaign_id
     AND r.user_principal_name = p.user_principal_name
     AND r.bucket >= date_trunc('hour', p.first_seen) AND r.bucket <= p.last_seen + $3::interval
    WHERE r.last_seen >= p.first_seen AND r.first_seen <= p.last_seen + $3::interval
    UNION
    SELECT p.finding_id, p.finding_ip, p.campaign_id, p.user_principal_name, p.first_seen, r.ip_address, r.error_code,
           r.first_seen, r.last_seen, r.usual_since
    FROM probed p
    JOIN password_right r ON r.user_principal_name = p.user_principal_name
    WHERE r.last_seen >= p.first_seen AND r.first_seen <= p.last_seen + $3::interval
),
related AS (
    SELECT p.finding_id, p.user_principal_name, p.first_seen, p.ip_address, p.error_code, p.last_seen, p.usual_since,
           greatest(p.right_first_seen, p.first_seen) AS from_time,
           CASE WHEN p.ip_address = p.finding_ip THEN 'same IP'
                WHEN family(p.ip_address) = 4 AND family(p.finding_ip) = 4 AND set_masklen(p.ip_address, 24)::cidr = set_masklen(p.finding_ip, 24)::cidr THEN 'same /24'
                WHEN family(p.ip_address) = 6 AND family(p.finding_ip) = 6 AND set_masklen(p.ip_address, 48)::cidr = set_masklen(p.finding_ip, 48)::cidr THEN 'same /48'
                WHEN p.campaign_id IS NOT NULL AND EXISTS (
                    SELECT 1 FROM campaign_sources cs WHERE cs.campaign_id = p.campaign_id AND cs.ip_address = p.ip_address) THEN 'same campaign'
           END AS relation
    FROM related_rows p
),
usual_places AS MATERIALIZED (
    -- A scoped recompute: when each name first proved its password from each address a related
    -- sign-in came from, before the latest probing it is compared with, as the import keeps it
    -- (sign_in_first_rights: the earliest of the rollup's rows with $2's codes). From the rollup,
    -- each address's rows up to its latest probing were read whole, ~650 of which ~60 had the
    -- codes, 0.15-0.4 s of an appended hour at 10 M events; a look-up per finding, name and
    -- address before that took 5 s for a month-long campaign's 39,000 of them. A first time at
    -- or after that probing cannot make a sign-in the user's usual place, so it is left out.
    SELECT u.ip_address, u.user_principal_name, u.first_seen AS since
    FROM (SELECT ip_address, max(first_seen) AS until FROM related WHERE relation IS NOT NULL GROUP BY ip_address) a
    JOIN sign_in_first_rights u ON u.dataset_id = $1::int AND u.ip_address = a.ip_address AND u.first_seen < a.until
    WHERE $6::boolean
),
candidates AS (
    -- Not where the user already signed in before the probing began: their office, their home
    -- (a "password right" sign-in of the name from that address that started earlier, at any
    -- time). A full recompute read every such sign-in of the name (usual_since); a scoped one
    -- reads them in usual_places, set beside the related sign-ins of the same address and name
    -- by a window rather than a join: the planner cannot size these CTEs, and guessed one row
    -- each for a nested loop over 39,000 of them.
    SELECT c.finding_id, c.user_principal_name, c.ip_address, c.error_code, c.last_seen, c.from_time, c.relation
    FROM (
        SELECT c.*,
               CASE WHEN $6::boolean THEN min(c.since) OVER (PARTITION BY c.ip_address, c.user_principal_name)
                    ELSE c.usual_since END AS usual
        FROM (
            SELECT finding_id, user_principal_name, ip_address, error_code, last_seen, from_time, relation, first_seen,
                   usual_since, NULL::timestamptz AS since
            FROM related
            WHERE relation IS NOT NULL
            UNION ALL
            SELECT NULL, user_principal_name, ip_address, NULL, NULL, NULL, NULL, NULL, NULL, since
            FROM usual_places
        ) c
    ) c
    WHERE c.finding_id IS NOT NULL AND (c.usual IS NULL OR c.usual >= c.first_seen)
),
neighbours AS (
    -- The related addresses that mostly fail over their whole history, from the totals of their
    -- sources the recompute keeps (lib/campaigns/source-totals.ts), summed per address: from the
    -- rollup, the 158 addresses of an appended hour at 10 M events were 113,000 rows (0.15 s).
    -- As a set operation (hashed or sorted): as a semi-join, a one-row estimate of the candidates
    -- made a nested loop over every source's totals for each of them (97 s in a full recompute).
    SELECT ip_address FROM candidates WHERE relation <> 'same IP'
    INTERSECT
    SELECT t.ip_address
    FROM campaign_source_totals t
    WHERE t.dataset_id = $1::int
    GROUP BY t.ip_address
    HAVING sum(t.failed) > $5::float8 * sum(t.attempts)
),
best AS (
    SELECT DISTINCT ON (finding_id, user_principal_name) *
    FROM candidates
    -- A candidate with no relation to its finding stays out even when its address is another
    -- finding's neighbour.
    WHERE relation = 'same IP' OR (relation IS NOT NULL AND ip_address IN (SELECT ip_address FROM neighbours))
    -- The tail makes the pick deterministic: two related addresses can share the same hour, and a
    -- scoped recompute must pick what a full one picks.
    ORDER BY finding_id, user_principal_name, relation <> 'same IP', from_time, ip_address, relation, error_code
),
hits AS (
    SELECT b.finding_id, b.user_principal_name, s.id AS event_id, s.created_at, b.error_code, b.ip_address, b.relation
    FROM best b
    CROSS JOIN LATERAL (
        SELECT e.id, e.created_at
        FROM sign_in_events e
        WHERE e.dataset_id = $1::int AND e.ip_address = b.ip_address
          AND e.created_at >= b.from_time AND e.created_at <= b.last_seen
          AND e.user_principal_name = b.user_principal_name AND e.error_code = b.error_code
        ORDER BY e.created_at, e.id
        LIMIT 1
    ) s
),
cleared AS (
    DELETE FROM finding_escalations WHERE finding_id IN (SELECT finding_id FROM escalation_scope)
    RETURNING finding_id
),
inserted AS (
    INSERT INTO finding_escalations (finding_id, user_principal_name, event_id, event_time, error_code, ip_address, relation)
    SELECT finding_id, user_principal_name, event_id, created_at, error_code, ip_address, relation FROM hits
    RETURNING finding_id
),
flags AS (
    SELECT f.id, f.escalated AS was, EXISTS (SELECT 1 FROM hits h WHERE h.finding_id = f.id) AS escalated
    FROM findings f
    WHERE f.dataset_id = $1::int AND f.id IN (SELECT finding_id FROM escalation_scope)
),
flagged AS (
    -- Only the findings whose flag changed get a new row version (each update leaves a dead one).
    UPDATE findings f SET escalated = g.escalated
    FROM flags g
    WHERE f.id = g.id AND g.was IS DISTINCT FROM g.escalated
    RETURNING f.id
)
SELECT (SELECT count(*) FROM flags)::int AS findings, (SELECT count(*) FROM cleared)::int AS cleared,
       (SELECT count(*) FROM inserted)::int AS inserted
