-- Upload creations take turns for the disk reserve, until the creating transaction ends.
SELECT pg_advisory_xact_lock(hashtext('enumeration-triage:upload-reserve'))::text AS locked
