-- $1 name, $2 dataset id, $3 cidr, $4 UPN pattern, $5 user-agent pattern, $6 app, $7 reason,
-- $8 owner id, $9 expiry, $10 enabled, $11 template, $12 created by
INSERT INTO suppression_rules (name, dataset_id, cidr, upn_pattern, user_agent_pattern, app_name, reason, owner_id, expires_at, enabled, template, created_by_id)
VALUES ($1, $2, $3::cidr, $4, $5, $6, $7, $8, $9, $10, $11, $12)
RETURNING id
