-- $1-$11 as in insert-suppression.sql, $12 rule id
UPDATE suppression_rules
   SET name = $1, dataset_id = $2, cidr = $3::cidr, upn_pattern = $4, user_agent_pattern = $5, app_name = $6,
       reason = $7, owner_id = $8, expires_at = $9, enabled = $10, template = $11, updated_at = now()
 WHERE id = $12
RETURNING id
