-- Statistics of the campaigns to rebuild, so the joins below plan for one campaign or hundreds.
ANALYZE campaign_details_work
