-- A cursor over the usernames more than one source tried, each with those sources, for the
-- overlapping-target-lists rule (overlap-pairs.ts, which puts them in time order). The ids come
-- as text ("3,17,42"): parsed as an int[] by the driver they cost more than the query. Grouped by
-- the name as it is (equal names are byte-equal in the database's deterministic collation) in a
-- hash table: sorted by name, 128,000 rows took twice as long. The names are unnested straight
-- from the sources' totals (read-source-profiles.sql keeps them there): copied into a scratch
-- table and analysed first, the month's 128,000 (source, name) rows at 10 M events cost more
-- than both statements that read them.
-- $1 dataset id
DECLARE campaign_username_sources NO SCROLL CURSOR FOR
SELECT string_agg(s.id::text, ',') AS sources
FROM campaign_work_sources s
JOIN campaign_source_totals t ON t.dataset_id = $1::int AND t.key_hash = s.key_hash
CROSS JOIN LATERAL unnest(t.usernames) AS n(user_principal_name)
GROUP BY n.user_principal_name
HAVING count(*) > 1
