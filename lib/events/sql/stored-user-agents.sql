-- The user agents a dataset's dictionary already holds under the given keys (lib/events/user-agents.ts).
-- $1 dataset id, $2 keys bigint[]
SELECT user_agent_id::text AS user_agent_id, user_agent
FROM user_agents
WHERE dataset_id = $1::int AND user_agent_id = ANY($2::bigint[])
