-- Fills campaign_work_sources with the dataset's sources: every (IP, client app, user agent)
-- whose failed sign-ins of the campaign codes are most of its sign-ins, with the profile the
-- totals keep of it (read-source-profiles.sql reads the ones they do not know first). In the
-- order of their first failure, which the linking's tie-breaks (the work ids) follow.
-- $1 dataset id               int
-- $2 minimum failure share    float8
INSERT INTO campaign_work_sources (
    key_hash, ip_address, client_app_used, user_agent, app_name, network, unique_usernames, attempts,
    first_seen, last_seen)
SELECT key_hash, ip_address, client_app_used, user_agent, app_name,
       network(set_masklen(ip_address, CASE WHEN family(ip_address) = 4 THEN 24 ELSE 48 END))::cidr,
       unique_usernames, failed_attempts, first_failed, last_failed
FROM campaign_source_totals
WHERE dataset_id = $1::int AND failed > $2::float8 * attempts
  AND profile_known AND unique_usernames IS NOT NULL
ORDER BY first_failed, ip_address, client_app_used, user_agent
