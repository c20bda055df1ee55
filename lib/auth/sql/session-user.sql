-- The session a cookie's token (its SHA-256) opens, and its user, in one statement: every page
-- and API request of a browser asks this, so it is one indexed lookup and one round trip.
-- lib/auth/sessions.ts checks the expiry and the disabled flag, and slides the idle expiry.
-- $1 token hash
SELECT s.id, s.created_at, s.expires_at, s.last_seen_at,
       u.id AS user_id, u.email, u.display_name, u.role::text AS role, u.disabled,
       u.password_hash, u.oidc_identity, u.created_at AS user_created_at, u.last_login_at
  FROM sessions s
  JOIN users u ON u.id = s.user_id
 WHERE s.token_hash = $1
