-- A cursor over the usernames more than one source tried, each with those sources in time order
-- (first failure, then work id: the tie-break every linking rule follows), for the
-- overlapping-target-lists rule (overlap-pairs.ts). The ids come as text ("3,17,42"): parsed as
-- an int[] by the driver they cost more than the query. Grouped by the name as it is (equal names
-- are byte-equal in the database's deterministic collation), each group sorted on its own.
DECLARE campaign_username_sources NO SCROLL CURSOR FOR
SELECT array_to_string(array_agg(u.source_id ORDER BY s.first_seen, s.id), ',') AS sources
FROM campaign_work_usernames u
JOIN campaign_work_sources s ON s.id = u.source_id
GROUP BY u.user_principal_name
HAVING count(*) > 1
