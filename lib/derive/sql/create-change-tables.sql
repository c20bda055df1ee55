-- What a scoped recompute changed, for the detectors after it to look at only that (all dropped
-- when the recompute's transaction ends):
--   derive_changed_findings: findings the detectors may have changed (fill-changed-findings.sql);
--   derive_finding_campaigns, derive_campaign_addresses: each finding's campaign and each
--     campaign's addresses before the campaigns were recomputed (snapshot-*.sql);
--   derive_succeeded: names with a "password right" sign-in in the recomputed range, and from where;
--   escalation_scope: the findings whose escalations are recomputed (fill-escalation-scope.sql).
CREATE TEMP TABLE derive_changed_findings (finding_id int PRIMARY KEY) ON COMMIT DROP;
CREATE TEMP TABLE derive_finding_campaigns (finding_id int PRIMARY KEY, campaign_id int NOT NULL) ON COMMIT DROP;
CREATE TEMP TABLE derive_campaign_addresses (campaign_id int NOT NULL, ip_address inet NOT NULL, PRIMARY KEY (campaign_id, ip_address)) ON COMMIT DROP;
CREATE TEMP TABLE derive_succeeded (user_principal_name text NOT NULL, ip_address inet NOT NULL, PRIMARY KEY (user_principal_name, ip_address)) ON COMMIT DROP;
CREATE TEMP TABLE escalation_scope (finding_id int PRIMARY KEY) ON COMMIT DROP
