-- How many events a dataset holds (every succeeded import's inserted rows: events are never
-- deleted one by one) against how many it held when the event tables were last analysed for it.
-- $1 dataset id
SELECT d.statistics_rows,
       coalesce((SELECT sum(j.rows_inserted) FROM import_jobs j WHERE j.dataset_id = d.id AND j.status = 'succeeded'), 0)::bigint AS rows
  FROM datasets d
 WHERE d.id = $1
