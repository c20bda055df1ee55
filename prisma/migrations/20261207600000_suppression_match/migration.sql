-- One definition of "a suppression rule covers this finding", called by both the rule's preview
-- (lib/tuning/sql/preview-suppression.sql) and its application (lib/findings/sql/apply-suppressions.sql),
-- so that what a lead is shown before saving is what the rule then hides. A change of the
-- criteria is a new migration replacing these functions; neither query repeats them.
--
-- A rule matches when every criterion it sets holds: the source IP inside its CIDR, the user agent
-- like its pattern, its app among the finding's apps, every username of the finding like its UPN
-- pattern, and the finding over by the rule's expiry. Patterns use * for "anything", compared
-- case-insensitively. The expiry is a point on the logs' clock, not the wall clock's: a pen-test
-- rule ending on Friday keeps covering the engagement's findings after Friday (re-imports, later
-- reviews), and covers no finding that reaches past it.

-- A rule's pattern as a LIKE pattern: * is the wildcard, and LIKE's own % _ \ are literal.
CREATE FUNCTION "suppression_like"(pattern text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT replace(replace(replace(replace(lower(pattern), '\', '\\'), '%', '\%'), '_', '\_'), '*', '%')
$$;

-- Every username the finding counted (its source, window, group and codes) is like the pattern.
-- Takes the finding's columns, not its row, so that the calling query carries only those.
-- Kept apart from suppression_covers because it reads the events: a function with a subquery is
-- never inlined, and suppression_covers must be, so that the planner sees its cheap criteria as
-- plain conditions and reaches this one last, only for findings the others left in.
CREATE FUNCTION "suppression_covers_usernames"(
    finding_dataset_id int, finding_ip inet, finding_bucket timestamptz, finding_window_minutes int,
    finding_client_app text, finding_user_agent text, finding_codes text[], upn_pattern text)
    RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT NOT EXISTS (
        SELECT 1 FROM sign_in_events e
        WHERE e.dataset_id = finding_dataset_id AND e.ip_address = finding_ip
          AND e.created_at >= finding_bucket AND e.created_at < finding_bucket + make_interval(mins => finding_window_minutes)
          AND e.client_app_used = finding_client_app AND e.user_agent = finding_user_agent
          AND e.error_code = ANY(finding_codes) AND e.user_principal_name <> ''
          AND e.user_principal_name NOT LIKE suppression_like(upn_pattern))
$$;

-- The rule's criteria (NULL: not set) against one finding. Not STRICT, one SELECT without a FROM:
-- PostgreSQL inlines it into the calling query.
CREATE FUNCTION "suppression_covers"(f "findings", rule_cidr cidr, upn_pattern text, user_agent_pattern text, app_name text, expires_at timestamptz)
    RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT (expires_at IS NULL OR f.last_seen <= expires_at)
       AND (rule_cidr IS NULL OR f.ip_address <<= rule_cidr)
       AND (user_agent_pattern IS NULL OR lower(f.user_agent) LIKE suppression_like(user_agent_pattern))
       AND (app_name IS NULL OR app_name = ANY(f.app_list))
       AND (upn_pattern IS NULL OR suppression_covers_usernames(f.dataset_id, f.ip_address, f.bucket, f.window_minutes, f.client_app_used, f.user_agent, f.error_codes, upn_pattern))
$$;
