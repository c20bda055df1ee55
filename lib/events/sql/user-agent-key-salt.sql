-- This database's secret salt of user_agent_key() (migration 20261209010000), for the import to
-- compute the same keys in Node. Never sent to a browser or an API client.
SELECT user_agent_key_salt() AS salt
