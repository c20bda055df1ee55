-- A campaign's key is its earliest source's (measure-campaigns.sql): when an earlier source joins,
-- or that source leaves, the campaign comes back under a new key and a new id. Its triage record
-- (status, owner, comments, audit trail) follows it instead of being left behind: a record whose
-- key no campaign has any more moves to the new campaign that shares the most sources with the
-- one it was about, provided that campaign has no record yet. Each campaign takes at most one
-- record. Runs after upsert-campaigns.sql and before the old campaigns and their sources go.
-- Every move is audited as the system's ($2).
-- $1 dataset id, $2 audit label text
WITH orphans AS (
    SELECT t.id, t.key_hash, old.id AS old_campaign_id
    FROM triage_records t
    JOIN campaigns old ON old.dataset_id = t.dataset_id AND old.campaign_key = t.key_hash
    WHERE t.dataset_id = $1::int AND t.kind = 'campaign'
      AND NOT EXISTS (SELECT 1 FROM campaign_work_campaigns w WHERE w.campaign_key = t.key_hash)
),
overlap AS (
    SELECT o.id, o.old_campaign_id, w.component, w.campaign_key, w.campaign_id, count(*) AS shared
    FROM orphans o
    JOIN campaign_sources os ON os.campaign_id = o.old_campaign_id
    JOIN campaign_work_sources s
      ON s.ip_address = os.ip_address AND s.client_app_used = os.client_app_used AND s.user_agent = os.user_agent
    JOIN campaign_work_campaigns w ON w.component = s.component
    WHERE NOT EXISTS (SELECT 1 FROM triage_records t
                      WHERE t.dataset_id = $1::int AND t.kind = 'campaign'
                        AND t.bucket = TIMESTAMPTZ '1970-01-01 00:00:00+00' AND t.key_hash = w.campaign_key)
    GROUP BY o.id, o.old_campaign_id, w.component, w.campaign_key, w.campaign_id
),
best AS (
    SELECT DISTINCT ON (id) * FROM overlap ORDER BY id, shared DESC, campaign_key
),
moves AS (
    SELECT DISTINCT ON (b.campaign_key) b.id, b.old_campaign_id, b.campaign_key, b.campaign_id, k.ip_address, k.client_app_used, k.user_agent
    FROM best b
    CROSS JOIN LATERAL (
        SELECT ip_address, client_app_used, user_agent
        FROM campaign_work_sources
        WHERE component = b.component
        ORDER BY first_seen, ip_address, client_app_used, user_agent
        LIMIT 1
    ) k
    ORDER BY b.campaign_key, b.shared DESC, b.id
),
moved AS (
    UPDATE triage_records t
       SET key_hash = m.campaign_key, ip_address = m.ip_address, client_app_used = m.client_app_used,
           user_agent = m.user_agent, updated_at = now()
      FROM moves m
     WHERE t.id = m.id
    RETURNING t.id, t.status, m.old_campaign_id, m.campaign_id
)
INSERT INTO audit_events (actor_id, actor_label, action, entity_type, entity_id, before, after)
SELECT NULL, $2::text, 'triage.campaign-moved', 'triage', mv.id::text,
       jsonb_build_object('campaign', mv.old_campaign_id, 'status', mv.status),
       jsonb_build_object('campaign', mv.campaign_id, 'status', mv.status)
FROM moved mv
