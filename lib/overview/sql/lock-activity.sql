-- Makes the overviews of one set of datasets ($1 dataset ids int[], NULL: all) that find no
-- current activity take turns computing it: the first computes, the others then read its row
-- instead of all reading the rollup at once (the views right after an import). Transaction-scoped.
-- 'OVRV' keeps this lock class apart from the dataset lock's ('ENUM').
SELECT pg_advisory_xact_lock(
    x'4f565256'::int,
    hashtext(coalesce(array_to_string(ARRAY(SELECT id FROM datasets WHERE $1::int[] IS NULL OR id = ANY($1::int[]) ORDER BY id), ','), ''))
)
