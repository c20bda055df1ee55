import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatSamplesDir, repoRoot } from '../helpers/paths'
import { createDatabase, dropDatabase } from '../helpers/test-database'

// The CLI is a contract other tools script against: exact JSON keys, exit status, stderr.

const run = promisify(execFile)
let database: { name: string; url: string }

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), ['scripts/cli.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: database.url },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

beforeAll(async () => {
  database = await createDatabase()
})
afterAll(async () => {
  await dropDatabase(database.name)
})

const expected = JSON.parse(readFileSync(path.join(formatSamplesDir, 'expected-findings.json'), 'utf8'))

describe('npm run cli', () => {
  it('migrate applies the migrations to a fresh database', async () => {
    const result = await cli('migrate')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/applied 20261128093000_init/)
    expect(result.stdout).toMatch(/database is up to date/)
  })

  it('ingest --json reports format and counts per file', async () => {
    const files = ['page-001.json', 'page-002.json', 'page-003.json'].map((f) => path.join(formatSamplesDir, 'graph-beta', f))
    const result = await cli('ingest', ...files, files[0], '--dataset', 'incident-1', '--json')
    expect(result.code).toBe(0)
    const reports = JSON.parse(result.stdout)
    expect(reports).toHaveLength(4)
    expect(reports[0]).toMatchObject({ file: 'page-001.json', status: 'succeeded', format: 'graph', rowsRead: 27, inserted: 27, duplicates: 0, rejected: 0 })
    expect(reports[3]).toMatchObject({ file: 'page-001.json', inserted: 0, duplicates: 27 })
    // One recompute after all four files, waited for (the dataset's first: in full); its timings
    // per detector go to stderr.
    expect(result.stderr).toMatch(/^findings: recomputed \(all events\) in [\d.]+ s\n {2}hourly findings [\d.]+ s, source totals [\d.]+ s, sliding windows [\d.]+ s, .*suppressions [\d.]+ s/m)
    expect(result.stderr.match(/findings: recomputed/g)).toHaveLength(1)
  })

  it('ingest --no-wait leaves the findings to update later, and says so; recompute does it', async () => {
    const file = path.join(formatSamplesDir, 'graph-beta', 'page-001.json')
    const ingested = await cli('ingest', file, '--dataset', 'later', '--no-wait')
    expect(ingested.code).toBe(0)
    expect(ingested.stdout).toMatch(/page-001\.json: .* inserted 27, .* in [\d.]+ s \(read, parse and load\)/)
    expect(ingested.stdout).toMatch(/findings: not recomputed \(--no-wait\)/)
    const findings = await cli('findings', '--dataset', 'later', '--json')
    expect(findings.code).toBe(0)
    expect(findings.stderr).toMatch(/note: findings are being updated/)
    const recomputed = await cli('recompute', '--dataset', 'later', '--json')
    expect(recomputed.code).toBe(0)
    expect(JSON.parse(recomputed.stdout)).toMatchObject({ dataset: 'later', status: 'current', state: { status: 'current', error: null } })
    expect((await cli('findings', '--dataset', 'later')).stderr).toBe('')
    const again = await cli('recompute', '--dataset', 'later')
    expect(again.stdout).toMatch(/findings: up to date, nothing to recompute/)
    expect((await cli('recompute', '--dataset', 'later', '--full')).stdout).toMatch(/findings: recomputed \(all events\)/)
  }, 300_000)

  it('ingest without --json prints one line per file', async () => {
    const result = await cli('ingest', path.join(formatSamplesDir, 'logscale', 'entra-signins.ndjson'), '--dataset', 'incident-1')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/entra-signins\.ndjson: LogScale events \(NDJSON\): read 81, inserted 0, duplicates 81, rejected 0/)
  })

  it('findings --json prints exactly the contract keys and the reference findings', async () => {
    const result = await cli('findings', '--dataset', 'incident-1', '--json')
    expect(result.code).toBe(0)
    const findings = JSON.parse(result.stdout)
    expect(findings).toEqual(expected)
    expect(Object.keys(findings[0])).toEqual([
      'bucket',
      'ipAddress',
      'clientAppUsed',
      'userAgent',
      'uniqueUsernames',
      'attemptCount',
      'usernameSample',
      'appList',
      'firstSeen',
      'lastSeen',
      'durationMinutes',
      'enumerationRatePerMin',
      'verdict',
    ])
  })

  it('findings --from/--to limit the time range', async () => {
    const result = await cli('findings', '--dataset', 'incident-1', '--from', '2026-02-17T10:00:00Z', '--to', '2026-02-18T00:00:00Z', '--json')
    expect(JSON.parse(result.stdout).map((f: { ipAddress: string }) => f.ipAddress)).toEqual(['192.0.2.90'])
  })

  it('findings prints a readable table', async () => {
    const result = await cli('findings', '--dataset', 'incident-1')
    expect(result.stdout).toMatch(/192\.0\.2\.44 .* Moderate Enumeration/)
    expect(result.stdout).toMatch(/192\.0\.2\.90 .* Low-Level Enumeration/)
  })

  it('fails with the reason on stderr: unknown dataset, missing file, bad date, not a sign-in log', async () => {
    const unknown = await cli('findings', '--dataset', 'nope', '--json')
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr).toMatch(/no dataset named "nope"/)
    expect(unknown.stdout).toBe('')

    const missing = await cli('ingest', '/no/such/file.csv', '--dataset', 'x')
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toMatch(/no such file/)

    const badDate = await cli('findings', '--dataset', 'incident-1', '--from', 'yesterday')
    expect(badDate.code).not.toBe(0)
    expect(badDate.stderr).toMatch(/not an ISO 8601 date/)

    const notALog = path.join(os.tmpdir(), `not-a-log-${process.pid}.csv`)
    writeFileSync(notALog, 'name,price\napple,1\n')
    const rejected = await cli('ingest', notALog, '--dataset', 'incident-1')
    expect(rejected.code).not.toBe(0)
    expect(rejected.stderr).toMatch(/not a sign-in log/)
  })
})
