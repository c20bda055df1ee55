-- Bytes announced by uploads still arriving and not yet on disk.
SELECT coalesce(sum(upload_size - upload_received), 0)::bigint AS pending
  FROM import_jobs
 WHERE status = 'uploading' AND upload_size IS NOT NULL
