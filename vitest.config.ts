import path from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/postgres.ts'],
    // Each test file gets its own database (tests/helpers/test-database.ts), so files run in parallel.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
})
