-- The key of a campaign source (IP, client app, user agent) in campaign_source_totals and wherever
-- a source is matched to it: md5 of its length-prefixed parts, so long attacker-chosen text never
-- sits in a btree and no two sources concatenate alike. One definition instead of a copy per
-- statement (IMMUTABLE, a single SELECT of immutable parts, the ints cast to text explicitly: the
-- planner inlines it). The same text as the copies it replaces, so stored keys stay valid.
CREATE FUNCTION "campaign_source_key"(ip_address inet, client_app_used text, user_agent text) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT md5(host(ip_address) || '|' || length(client_app_used)::text || ':' || client_app_used ||
               length(user_agent)::text || ':' || user_agent)::uuid
$$;
