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
          name: 'unit+integration',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
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
        },
      },
    ],
  },
})
