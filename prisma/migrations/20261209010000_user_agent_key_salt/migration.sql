-- user_agent_key() becomes a keyed hash: md5 of a secret salt, random per database, followed by
-- the user agent. User agents are chosen by whoever signs in, and the unkeyed 64-bit md5 prefix
-- let an attacker precompute two user agents under one key (a birthday collision, ~2^32 md5s);
-- the import refuses the events of the second one (lib/events/user-agents.ts), so the attacker
-- could make their own sign-ins be refused and evade detection. Without the salt, a collision
-- can no longer be planned offline.
--
-- The salt is a literal in the function's body, so the function stays a single IMMUTABLE SELECT
-- the planner inlines (`e.user_agent_id = user_agent_key(f.user_agent)` is unchanged in every
-- query). user_agent_key_salt() gives it to the import, which computes the same key in Node. It
-- is in pg_proc, readable by whoever may connect, as the events themselves are; it is never sent
-- outside the database and the importing process.
--
-- Existing keys are rewritten once: the dictionary (user_agents) holds each old key's text; the
-- events are rewritten by ALTER … TYPE rather than an UPDATE, so the partitions come out compact,
-- in their time order (the BRIN on created_at) and with their indexes rebuilt, instead of holding
-- a dead copy of every event. The old→new map is a jsonb constant (a USING expression may hold no
-- subquery); a dictionary too large for one (an attacker can send a new user agent with every
-- sign-in; jsonb stops at 256 MB) is read through a function instead, ~9 µs an event more.
-- Measured on 1 M events of 4 datasets with 204 user agents (2 shared cores): 3 s, 12 s through
-- the function. An event whose key is in no dictionary keeps it, but for the column default (the
-- key of ''), which becomes the new one.

DO $$
DECLARE
    -- Two v4 UUIDs: 244 random bits from the server's strong random source (PostgreSQL >= 13).
    salt text := replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
    old_empty bigint := ('x' || substr(md5(''), 1, 16))::bit(64)::bigint;
    new_empty bigint;
    lookup text;
    clash record;
BEGIN
    CREATE TEMP TABLE user_agent_rekey ON COMMIT DROP AS
    SELECT dataset_id, user_agent_id AS old_id, user_agent, NULL::bigint AS new_id FROM user_agents;

    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION "user_agent_key"(user_agent text) RETURNS bigint
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $body$
            SELECT ('x' || substr(md5(%L || user_agent), 1, 16))::bit(64)::bigint
        $body$
    $f$, salt);
    -- For the import, which computes the same keys in Node while it builds its COPY lines.
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION "user_agent_key_salt"() RETURNS text
        LANGUAGE sql STABLE PARALLEL SAFE AS $body$ SELECT %L::text $body$
    $f$, salt);

    UPDATE user_agent_rekey SET new_id = user_agent_key(user_agent);
    SELECT dataset_id, new_id INTO clash FROM user_agent_rekey GROUP BY dataset_id, new_id HAVING count(*) > 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'two user agents of dataset % have the same 64-bit key %', clash.dataset_id, clash.new_id;
    END IF;

    new_empty := user_agent_key('');
    IF (SELECT count(*) FROM user_agent_rekey) <= 100000 THEN
        SELECT format('(%L::jsonb ->> (dataset_id || '':'' || user_agent_id))::bigint',
                      coalesce(jsonb_object_agg(dataset_id || ':' || old_id, new_id::text), '{}'))
        INTO lookup FROM user_agent_rekey;
    ELSE
        ALTER TABLE user_agent_rekey ADD PRIMARY KEY (dataset_id, old_id);
        ANALYZE user_agent_rekey;
        CREATE FUNCTION pg_temp.user_agent_rekeyed(d int, k bigint) RETURNS bigint LANGUAGE sql STABLE
            AS 'SELECT new_id FROM user_agent_rekey WHERE dataset_id = d AND old_id = k';
        lookup := 'pg_temp.user_agent_rekeyed(dataset_id, user_agent_id)';
    END IF;
    EXECUTE format($f$
        ALTER TABLE sign_in_events ALTER COLUMN user_agent_id TYPE bigint USING coalesce(
            %s, CASE WHEN user_agent_id = %s THEN %s ELSE user_agent_id END)
    $f$, lookup, old_empty, new_empty);
    EXECUTE format('ALTER TABLE sign_in_events ALTER COLUMN user_agent_id SET DEFAULT %s', new_empty);

    -- Deleted and inserted, not updated: an updated key could meet another row's old one.
    DELETE FROM user_agents;
    INSERT INTO user_agents (dataset_id, user_agent_id, user_agent) SELECT dataset_id, new_id, user_agent FROM user_agent_rekey;
    DROP FUNCTION IF EXISTS pg_temp.user_agent_rekeyed(int, bigint);
    DROP TABLE user_agent_rekey;
END
$$;

-- ALTER … TYPE drops the column's statistics; the planner's estimates for a user agent's events
-- need them back.
ANALYZE sign_in_events (user_agent_id);
