-- Adds user agents to a dataset's dictionary (lib/events/user-agents.ts) and returns those whose
-- key is already another user agent's (the statement's snapshot: rows stored before it).
-- $1 dataset id, $2 keys bigint[], $3 user agents text[] (same order, keys distinct)
WITH given AS (
    SELECT * FROM unnest($2::bigint[], $3::text[]) AS g(user_agent_id, user_agent)
), added AS (
    INSERT INTO user_agents (dataset_id, user_agent_id, user_agent)
    SELECT $1::int, user_agent_id, user_agent FROM given
    ON CONFLICT (dataset_id, user_agent_id) DO NOTHING
)
SELECT g.user_agent_id::text AS user_agent_id, g.user_agent, u.user_agent AS stored
FROM given g
JOIN user_agents u ON u.dataset_id = $1::int AND u.user_agent_id = g.user_agent_id
WHERE u.user_agent <> g.user_agent
