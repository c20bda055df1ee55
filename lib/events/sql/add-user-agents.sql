-- Adds user agents to a dataset's dictionary (lib/events/user-agents.ts). The caller has checked
-- that none of the keys holds another user agent (imports into a dataset take turns).
-- $1 dataset id, $2 keys bigint[], $3 user agents text[] (same order, keys distinct)
INSERT INTO user_agents (dataset_id, user_agent_id, user_agent)
SELECT $1::int, user_agent_id, user_agent
FROM unnest($2::bigint[], $3::text[]) AS g(user_agent_id, user_agent)
ON CONFLICT (dataset_id, user_agent_id) DO NOTHING
