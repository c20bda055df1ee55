-- The findings a scoped recompute changed (fill-changed-findings.sql), as one array.
SELECT coalesce(array_agg(finding_id), '{}') AS ids FROM derive_changed_findings
