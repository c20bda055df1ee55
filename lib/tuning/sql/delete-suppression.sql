-- $1 suppression rule id (the findings it suppressed are released: suppressed_by_id is SET NULL)
DELETE FROM suppression_rules WHERE id = $1::int
