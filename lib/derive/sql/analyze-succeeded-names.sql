-- Statistics of derive_succeeded for the escalation scope's plan.
ANALYZE derive_succeeded
