-- For each of the overview's top source IPs ($2 inet[]), in the datasets in $1 (NULL: all): how
-- many findings it has and the tier of its biggest (NULL: none). Through the findings' address index.
SELECT host(ip.address) AS ip_address,
       (SELECT count(*)::int FROM findings f
         WHERE f.ip_address = ip.address AND ($1::int[] IS NULL OR f.dataset_id = ANY($1::int[]))) AS findings,
       (SELECT f.verdict FROM findings f
         WHERE f.ip_address = ip.address AND ($1::int[] IS NULL OR f.dataset_id = ANY($1::int[]))
         ORDER BY f.unique_usernames DESC LIMIT 1) AS top_verdict
FROM unnest($2::inet[]) AS ip(address)
