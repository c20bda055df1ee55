-- The escalations' plan joins escalation_scope: without statistics a temporary table counts as large.
ANALYZE escalation_scope
