import path from 'node:path'
import { defineConfig } from 'vitest/config'

const alias = { '@': path.resolve(import.meta.dirname) }

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // No database: `npx vitest run tests/unit` starts no PostgreSQL and needs no DATABASE_URL.
          // A unit test that reaches for one anyway fails on this address instead of using a real server.
          env: { DATABASE_URL: 'postgresql://unit-tests-have-no-database@127.0.0.1:9/none' },
          pool: 'threads',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // Each test file gets its own database (tests/helpers/test-database.ts), so files run in parallel.
          globalSetup: ['tests/setup/postgres.ts'],
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          // One built app and one browser session per file; files run one after another.
          globalSetup: ['tests/setup/postgres.ts', 'tests/setup/app-server.ts'],
          fileParallelism: false,
          pool: 'forks',
          // A page's answer can take seconds on a loaded two-core CI machine; 1 s (vitest's
          // default) made polls for a re-rendered row fail while the server was still answering.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
})
