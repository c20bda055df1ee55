import { defineConfig } from 'prisma/config'

// DATABASE_URL is only read by Prisma's migrate/introspect commands, which need the native
// schema engine; the app and CLI resolve the database themselves (lib/db/database.ts: DATABASE_URL
// or the embedded PostgreSQL) and apply migrations with lib/db/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/enumeration_triage' },
})
