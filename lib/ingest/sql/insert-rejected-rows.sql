-- The rejected rows of an import, with their line or record number and reason.
-- $1 job id, $2 record numbers int[], $3 reasons text[], $4 excerpts text[]
INSERT INTO rejected_rows (import_job_id, record_number, reason, excerpt)
SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])
