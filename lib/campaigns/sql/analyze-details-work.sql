-- Statistics of the campaigns to rebuild or extend and of the members read, so the joins below
-- plan for one campaign or hundreds.
ANALYZE campaign_details_work;
ANALYZE campaign_details_members;
