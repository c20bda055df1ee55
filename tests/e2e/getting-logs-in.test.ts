import { readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable, screenshot, useBrowser } from '../helpers/browser'
import { sampleGraphSignIns, startFakeMicrosoft, type FakeMicrosoft } from '../helpers/fake-microsoft'
import { formatSamplesDir } from '../helpers/paths'

// Getting logs in, in real Chromium: an analyst drops exports on the upload page and watches
// them import; an admin configures a Graph connector (against a fake Entra ID + Graph on
// loopback), tests the connection and pulls.

const portalCsv = path.join(formatSamplesDir, 'portal-csv', 'InteractiveSignIns_2026-02-17_2026-02-17.csv')
const tmp = os.tmpdir()
const logscaleGz = path.join(tmp, `entra-signins-${process.pid}.ndjson.gz`)
const notALog = path.join(tmp, `holiday-${process.pid}.png`)

describe.skipIf(!browserAvailable)('getting logs in', () => {
  const browser = useBrowser('analyst', 'admin')
  let fake: FakeMicrosoft
  const app = { tenantId: '5f1c3a2e-8d4b-4c6e-9a7f-2b3c4d5e6f70', clientId: '0b7a4f1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b', clientSecret: 'the-right-secret' }

  beforeAll(async () => {
    writeFileSync(logscaleGz, gzipSync(readFileSync(path.join(formatSamplesDir, 'logscale', 'entra-signins.ndjson'))))
    writeFileSync(notALog, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), Buffer.alloc(4000, 1)]))
    // The sample sign-ins moved to the last hours, inside a connector's first pull.
    const hour = 3_600_000
    const base = Math.floor(Date.now() / hour) * hour - 30 * hour
    const first = Math.min(...sampleGraphSignIns().map((s) => Date.parse(String(s.createdDateTime))))
    const recent = sampleGraphSignIns().map((s) => ({ ...s, createdDateTime: new Date(base + Date.parse(String(s.createdDateTime)) - first).toISOString() }))
    fake = await startFakeMicrosoft({ app, graph: { signIns: recent, pageSize: 20 } })
  })
  afterAll(() => fake?.stop())

  it('an analyst uploads several exports and sees each import report', async () => {
    const page = browser.page('analyst')
    await page.goto(browser.url('/upload'))
    await page.locator('input[name="dataset"]').fill('e2e-uploads')
    await page.locator('[data-testid="file-input"]').setInputFiles([portalCsv, logscaleGz, notALog])
    await page.locator('[data-testid="upload-button"]').click()
    const row = (file: string) => page.locator(`[data-testid="uploads-table"] [data-testid="upload-row"][data-file="${path.basename(file)}"]`)
    await expect.poll(() => row(portalCsv).getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded')
    await expect.poll(() => row(logscaleGz).getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded')
    await expect.poll(() => row(notALog).getAttribute('data-status'), { timeout: 60_000 }).toMatch(/failed|refused/)
    const cells = async (file: string) => (await row(file).locator('td').allTextContents()).map((t) => t.trim())
    const csv = await cells(portalCsv)
    expect(csv[2]).toContain('portal-csv')
    expect(csv.slice(3, 7)).toEqual(['72', '72', '0', '0'])
    // The same incident from LogScale: the 72 already stored are duplicates, 9 are new.
    expect((await cells(logscaleGz)).slice(3, 7)).toEqual(['81', '9', '72', '0'])
    expect(await row(notALog).textContent()).toMatch(/not a (sign-in log|text export)|binary/)
    await screenshot(page, 'upload')

    // The dataset page names what the data lacks and which files overlapped.
    await row(portalCsv).locator(`a:text("findings")`).click()
    await page.waitForURL(/\/findings\?dataset=\d+/)
    const datasetId = new URL(page.url()).searchParams.get('dataset')
    await page.goto(browser.url(`/datasets/${datasetId}`))
    const completeness = page.locator('[data-testid="completeness"]')
    await completeness.waitFor()
    expect(await completeness.textContent()).toContain(`${path.basename(logscaleGz)} (72 already stored)`)
    // The batch's findings were recomputed once, after its last file: the page reloads itself
    // while they are being updated, then says when and how they were.
    const updated = page.locator('[data-testid="findings-updated"]')
    await updated.waitFor({ timeout: 60_000 })
    // (the dataset's first recompute: from all its events, lib/derive/recompute.ts)
    expect(await updated.textContent()).toMatch(/Findings updated .* UTC \(from all events\) in [\d.]+ s: 10 detectors/)
    expect(await page.locator('[data-testid="findings-updating"]').count()).toBe(0)
  })

  it('an admin configures a Graph connector, tests it and pulls', async () => {
    const page = browser.page('admin')
    await page.goto(browser.url('/connectors'))
    const form = page.locator('[data-testid="connector-form"]')
    await form.locator('input[name="name"]').fill('contoso graph')
    await form.locator('input[name="dataset"]').fill('e2e-graph')
    await form.locator('input[name="tenantId"]').fill(app.tenantId)
    await form.locator('input[name="clientId"]').fill(app.clientId)
    await form.locator('input[name="authorityUrl"]').fill(fake.url)
    await form.locator('input[name="graphUrl"]').fill(fake.url)
    await form.locator('input[name="initialLookbackHours"]').fill('48')

    await form.locator('input[name="secret"]').fill('a wrong secret')
    await form.locator('button:text("Test connection")').click()
    await expect.poll(() => page.locator('[data-testid="connector-message"]').textContent()).toMatch(/client secret is wrong or expired/)

    await form.locator('input[name="secret"]').fill(app.clientSecret)
    await form.locator('button:text("Test connection")').click()
    await expect.poll(() => page.locator('[data-testid="connector-message"]').getAttribute('class')).toBe('notice')

    await form.locator('button[type="submit"]').click()
    await page.waitForURL(/\/connectors\/\d+$/)
    // The secret never comes back to the browser.
    expect(await page.content()).not.toContain(app.clientSecret)

    // One throttled page on the way: the run retries it and says so.
    fake.graph.throttle = { requests: [fake.requests.filter((r) => r.api === 'graph').length + 2], retryAfterSeconds: 1 }
    await page.locator('[data-testid="connector-runs"] button:text("Run now")').click()
    const run = page.locator('[data-testid="connector-run"]').first()
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded')
    expect(await run.locator('summary').textContent()).toMatch(/81 events read, 81 new/)
    expect(await run.locator('[data-testid="connector-run-stats"]').textContent()).toMatch(/\d+ requests · 1 retries \(1 429 throttled\) · 1 access tokens fetched/)
    await screenshot(page, 'connector')
  }, 120_000)

  it('an admin pulls a chosen window beside the schedule, and one outside what Graph keeps is refused', async () => {
    const page = browser.page('admin')
    // The sign-ins are on the day 30 hours back: the pull above stored them, the backfill stores nothing twice.
    const day = new Date(Date.now() - 30 * 3_600_000).toISOString().slice(0, 10)
    const backfill = page.locator('[data-testid="backfill-form"]')
    await backfill.locator('input[name="from"]').fill(day)
    await backfill.locator('input[name="to"]').fill(day)
    await backfill.locator('button:text("Pull window")').click()
    await expect.poll(() => page.locator('[data-testid="backfill-message"]').textContent()).toMatch(/backfill run \d+ started/)
    const backfillRun = page.locator('[data-testid="connector-run"]', { hasText: 'backfill' }).first()
    await expect.poll(() => backfillRun.getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded')
    expect(await backfillRun.locator('summary').textContent()).toMatch(/ 0 new/)
    // Outside Graph's 30 days: refused, saying why.
    await backfill.locator('input[name="from"]').fill('2020-01-01')
    await backfill.locator('input[name="to"]').fill('2020-01-02')
    await backfill.locator('button:text("Pull window")').click()
    await expect.poll(() => page.locator('[data-testid="backfill-message"]').textContent()).toMatch(/Microsoft Graph keeps sign-ins for 30 days/)
  }, 120_000)

  it('raised no errors in the browser console', () => {
    // The refused PNG's chunk is answered 422 and the backfill outside Graph's 30 days 400, on purpose; nothing else may fail.
    expect(browser.errors.filter((e) => !e.includes('status of 422') && !e.startsWith('admin: Failed to load resource: the server responded with a status of 400'))).toEqual([])
    expect(browser.errors.filter((e) => e.includes('status of 400'))).toHaveLength(1)
  })
})
