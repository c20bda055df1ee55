import pg from 'pg'

/**
 * The role the app connects as: it owns no table, so it cannot alter the schema, disable the
 * audit trail's append-only trigger (ALTER TABLE needs the owner) or rewrite history; it may
 * read and write the data it works on, and only append to audit_events. Migrations keep running
 * as the owner (docs/database.md "The app's database role"). Granting is idempotent: run after
 * every migration, so new tables get their grants.
 */
export const DEFAULT_APP_ROLE = 'enumeration_triage_app'

/** Tables the app only reads (migration bookkeeping) or only appends to (the audit trail). */
const READ_ONLY_TABLES = ['_prisma_migrations']
const APPEND_ONLY_TABLES = ['audit_events']

function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`"${name}" is not a plain role name (lower-case letters, digits, _)`)
  return `"${name}"`
}

/**
 * Creates the app role if it is missing (or sets its password when given) and grants it what the
 * app needs in the database `ownerPool` is connected to, as that database's owner.
 */
export async function ensureAppRole(owner: pg.Pool | pg.Client, options: { role?: string; password?: string } = {}): Promise<string> {
  const role = options.role ?? DEFAULT_APP_ROLE
  const name = identifier(role)
  const { rows: existing } = await owner.query<{ super: boolean }>('SELECT rolsuper AS super FROM pg_roles WHERE rolname = $1', [role])
  if (existing[0]?.super) throw new Error(`${role} is a superuser; the app role must not be one`)
  const password = options.password === undefined ? '' : ` PASSWORD ${pg.escapeLiteral(options.password)}`
  const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS${password}`
  await owner.query(existing.length ? `ALTER ROLE ${name} WITH ${attributes}` : `CREATE ROLE ${name} WITH ${attributes}`)

  const { rows: info } = await owner.query<{ db: string; version: number }>(`SELECT current_database() AS db, current_setting('server_version_num')::int AS version`)
  const { db, version } = info[0]
  await owner.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${db.replace(/"/g, '""')}" TO ${name}`)
  await owner.query(`REVOKE CREATE ON SCHEMA public FROM ${name}`)
  await owner.query(`GRANT USAGE ON SCHEMA public TO ${name}`)
  await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${name}`)
  await owner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${name}`)
  for (const table of READ_ONLY_TABLES) await owner.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "${table}" FROM ${name}`)
  for (const table of APPEND_ONLY_TABLES) await owner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "${table}" FROM ${name}`)
  // Statistics after an import: a dataset's partitions are analysed through a SECURITY DEFINER
  // function (migration 20261207200000), whatever the version. PostgreSQL 17 can also grant
  // ANALYZE on the tables themselves.
  const { rows: analyse } = await owner.query<{ exists: boolean }>(`SELECT to_regprocedure('analyze_dataset_partitions(integer)') IS NOT NULL AS exists`)
  if (analyse[0].exists) await owner.query(`GRANT EXECUTE ON FUNCTION analyze_dataset_partitions(integer) TO ${name}`)
  if (version >= 170000) await owner.query(`GRANT MAINTAIN ON ALL TABLES IN SCHEMA public TO ${name}`)
  return role
}

/** The same database URL, as the app role. */
export function appRoleUrl(ownerUrl: string, role: string, password: string): string {
  const url = new URL(ownerUrl)
  url.username = encodeURIComponent(role)
  url.password = encodeURIComponent(password)
  return url.toString()
}
