-- A cursor over the usernames more than one source tried, each with those sources, for the
-- overlapping-target-lists rule (overlap-pairs.ts, which puts them in time order). The ids come
-- as text ("3,17,42"): parsed as an int[] by the driver they cost more than the query. Grouped by
-- the name as it is (equal names are byte-equal in the database's deterministic collation) in a
-- hash table: sorted by name, 128,000 rows took twice as long.
DECLARE campaign_username_sources NO SCROLL CURSOR FOR
SELECT string_agg(source_id::text, ',') AS sources
FROM campaign_work_usernames
GROUP BY user_principal_name
HAVING count(*) > 1
