-- A full recompute: every source of every scoped address, from its first event.
INSERT INTO derive_window_sources (ip_address) SELECT ip_address FROM derive_scope
