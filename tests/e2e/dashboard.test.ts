import { beforeAll, describe, expect, it } from 'vitest'
import { expectedDemoFindings } from '@/lib/demo/scenarios'
import { DEMO_ANCHOR } from '../setup/app-server'
import { browserAvailable, screenshot, useBrowser } from '../helpers/browser'

// The analyst's path through the dashboard in real Chromium, on the demo incident loaded with a
// fixed anchor: overview → findings table (sort, filter, state in the URL) → IP timeline →
// drill-down → datasets. Every main page is saved as a screenshot for review.

const expected = expectedDemoFindings(new Date(DEMO_ANCHOR))
const high = expected.filter((f) => f.verdict === 'High Confidence Enumeration')
const byUsers = [...expected].sort((a, b) => b.uniqueUsernames - a.uniqueUsernames || b.attemptCount - a.attemptCount)

describe.skipIf(!browserAvailable)('dashboard in Chromium', () => {
  const browser = useBrowser('viewer')
  // The demo's dataset: other test files upload datasets of their own into the same app.
  let demo = ''

  beforeAll(async () => {
    if (!browserAvailable) return
    const datasets = await browser.page().evaluate(async () => (await (await fetch('/api/datasets')).json()) as { datasets: { id: number; name: string }[] })
    demo = `dataset=${datasets.datasets.find((d) => d.name === 'demo')!.id}`
  })

  it('overview: tier counts, event count, chart and top IPs', async () => {
    const page = browser.page()
    await page.goto(browser.url(`/?${demo}`))
    for (const verdict of ['High Confidence Enumeration', 'Moderate Enumeration', 'Low-Level Enumeration'] as const) {
      const count = expected.filter((f) => f.verdict === verdict).length
      await expect.poll(() => page.locator(`[data-verdict="${verdict}"] .value`).textContent()).toBe(String(count))
    }
    await page.locator('[data-testid="hourly-activity-chart"] .recharts-bar-rectangle').first().waitFor()
    const topIps = await page.locator('[data-testid="top-ips"] tbody tr td:first-child').allTextContents()
    expect(topIps).toContain(byUsers[0].ipAddress)
    await screenshot(page, 'overview')
  })

  it('findings table: every finding, sorted by users, multi-sort and tier filter kept in the URL', async () => {
    const page = browser.page()
    await page.goto(browser.url(`/findings?${demo}`))
    const rows = page.locator('[data-testid="findings-table"] tbody tr')
    await expect.poll(() => rows.count()).toBe(expected.length)
    const users = (await page.locator('[data-testid="findings-table"] tbody td[data-column="uniqueUsernames"]').allTextContents()).map(Number)
    expect(users).toEqual(byUsers.map((f) => f.uniqueUsernames))
    await screenshot(page, 'findings')

    // Click: sort by rate (descending first), then shift-click the hour as a second key.
    await page.locator('th button[data-column="enumerationRatePerMin"]').click()
    await page.waitForURL(/sort=enumerationRatePerMin\.desc$/)
    await page.locator('th button[data-column="bucket"]').click({ modifiers: ['Shift'] })
    await page.waitForURL(/sort=enumerationRatePerMin\.desc(%2C|,)bucket\.asc/)
    const rates = (await page.locator('[data-testid="findings-table"] tbody td[data-column="enumerationRatePerMin"]').allTextContents()).map(Number)
    expect(rates).toEqual([...rates].sort((a, b) => b - a))
    expect(await page.locator('th[aria-sort="descending"] button[data-column="enumerationRatePerMin"]').count()).toBe(1)
    expect(await page.locator('th[aria-sort="ascending"] button[data-column="bucket"]').count()).toBe(1)

    // The High tier chip filters; the state survives a reload.
    await page.locator('button.tier-chip[data-verdict="High Confidence Enumeration"]').click()
    await page.waitForURL(/verdict=High/)
    await expect.poll(() => rows.count()).toBe(high.length)
    await page.reload()
    await expect.poll(() => rows.count()).toBe(high.length)
    expect(await page.locator('button.tier-chip[data-verdict="High Confidence Enumeration"]').getAttribute('aria-pressed')).toBe('true')
    const verdicts = await page.locator('[data-testid="findings-table"] tbody td[data-column="verdict"] .badge[class*="tier-"]').allTextContents()
    expect(new Set(verdicts)).toEqual(new Set(['High']))
  })

  it('findings table: search by IP and by a username in the sample', async () => {
    const page = browser.page()
    const target = byUsers[0]
    await page.goto(browser.url('/findings'))
    await page.locator('input[type="search"]').fill(target.ipAddress)
    await page.locator('form[role="search"] button[type="submit"]').click()
    await page.waitForURL(/q=/)
    const ips = await page.locator('[data-testid="findings-table"] tbody td[data-column="ipAddress"]').allTextContents()
    expect(ips.length).toBeGreaterThan(0)
    expect(new Set(ips)).toEqual(new Set([target.ipAddress]))

    // A username from that finding's sample finds it too.
    const response = await page.evaluate(async (q) => (await fetch(`/api/findings?q=${encodeURIComponent(q)}`)).json(), target.ipAddress)
    const username: string = response.rows[0].usernameSample[3]
    await page.locator('input[type="search"]').fill(username)
    await page.locator('form[role="search"] button[type="submit"]').click()
    await page.waitForURL(new RegExp(`q=${encodeURIComponent(username).replace(/[.]/g, '\\.')}`))
    await expect.poll(() => page.locator('[data-testid="findings-table"] tbody td[data-column="ipAddress"]').allTextContents()).toContain(target.ipAddress)
  })

  it('findings search: text typed before the page was interactive is searched, and a search sent before hydration keeps the view', async () => {
    const page = browser.page()
    const target = byUsers[0]
    // The app's scripts wait until the analyst has typed: hydration comes after the text.
    let release = () => {}
    const typed = new Promise<void>((resolve) => (release = resolve))
    const early = await page.context().browser()!.newContext({ storageState: await page.context().storageState() })
    try {
      // Scripts only: a held stylesheet would hold the page's inline scripts, and the page with them.
      await early.route('**/_next/static/chunks/**/*.js', async (route) => {
        await typed
        await route.continue()
      })
      const slow = await early.newPage()
      await slow.goto(browser.url('/findings?verdict=High+Confidence'), { waitUntil: 'commit' })
      await slow.locator('input[type="search"]').fill(target.ipAddress)
      release()
      // Hydrated: React has attached itself to the box.
      await expect.poll(() => slow.locator('input[type="search"]').evaluate((box) => Object.keys(box).some((k) => k.startsWith('__reactProps')))).toBe(true)
      expect(await slow.locator('input[type="search"]').inputValue()).toBe(target.ipAddress)
      await slow.locator('form[role="search"] button[type="submit"]').click()
      await slow.waitForURL(new RegExp(`q=${target.ipAddress.replace(/[.]/g, '\\.')}`))
      expect(new URL(slow.url()).searchParams.getAll('verdict')).toEqual(['High Confidence'])
      // Back and Forward: the box shows the search of the view on screen.
      await slow.goBack()
      await slow.waitForURL((u) => !u.searchParams.has('q'))
      await expect.poll(() => slow.locator('input[type="search"]').inputValue()).toBe('')
      await slow.goForward()
      await slow.waitForURL(/q=/)
      await expect.poll(() => slow.locator('input[type="search"]').inputValue()).toBe(target.ipAddress)
    } finally {
      await early.close()
    }

    // The app's scripts never arrive: the form is the server's HTML, submitted by the browser itself.
    const context = await page.context().browser()!.newContext({ storageState: await page.context().storageState() })
    try {
      await context.route('**/_next/static/**', (route) => route.abort())
      const plain = await context.newPage()
      await plain.goto(browser.url('/findings?verdict=High+Confidence&page=2'))
      await plain.locator('input[type="search"]').fill(target.ipAddress)
      await plain.locator('form[role="search"] button[type="submit"]').click()
      await plain.waitForURL(/q=/)
      const url = new URL(plain.url())
      expect(url.searchParams.get('q')).toBe(target.ipAddress)
      expect(url.searchParams.getAll('verdict')).toEqual(['High Confidence'])
      expect(url.searchParams.has('page')).toBe(false)
      expect(new Set(await plain.locator('[data-testid="findings-table"] tbody td[data-column="ipAddress"]').allTextContents())).toEqual(new Set([target.ipAddress]))
    } finally {
      await context.close()
    }
  })

  it('per-IP page: timeline with findings shaded, 5-minute zoom, every bucket', async () => {
    const page = browser.page()
    const target = byUsers[0]
    await page.goto(browser.url('/findings'))
    await page.locator(`[data-testid="findings-table"] tbody td[data-column="ipAddress"] a:text-is("${target.ipAddress}")`).first().click()
    await page.waitForURL(/\/ips\//)
    await expect.poll(() => page.locator('h1').textContent()).toBe(target.ipAddress)
    await page.locator('[data-testid="ip-timeline-chart"] .recharts-bar-rectangle').first().waitFor()
    expect(await page.locator('[data-testid="ip-timeline-chart"] .recharts-reference-area').count()).toBeGreaterThan(0)
    // The whole activity fits in a few hours, so the 5-minute bins load on their own.
    await page.locator('[data-testid="ip-fine-timeline-chart"] .recharts-bar-rectangle').first().waitFor()
    const bucketRows = page.locator('[data-testid="ip-buckets-table"] tbody tr')
    expect(await bucketRows.count()).toBeGreaterThan(0)
    expect(await page.locator('[data-testid="ip-buckets-table"] tbody td[data-column="verdict"]').allTextContents()).toContain('High')
    await screenshot(page, 'ip')
  })

  it('drill-down: every username, account existence, events with the original record', async () => {
    const page = browser.page()
    const target = byUsers[0]
    await page.goto(browser.url(`/findings?q=${encodeURIComponent(target.ipAddress)}`))
    await page.locator('[data-testid="findings-table"] tbody td[data-column="uniqueUsernames"] a').first().click()
    await page.waitForURL(/\/findings\/\d+$/)
    await expect.poll(() => page.locator('[data-testid="unique-usernames"]').textContent()).toBe(String(target.uniqueUsernames))
    expect(await page.locator('[data-testid="usernames-table"] tbody tr').count()).toBe(target.uniqueUsernames)
    const existing = Number(await page.locator('[data-testid="existing-accounts"]').textContent())
    expect(await page.locator('[data-testid="usernames-table"] .badge.exists').count()).toBe(existing)

    // Sort by account existence: confirmed accounts first.
    await page.locator('[data-testid="usernames-table"] th button[data-column="accountExists"]').click()
    if (existing > 0) expect(await page.locator('[data-testid="usernames-table"] tbody tr').first().locator('.badge').textContent()).toBe('exists')

    // The events table is virtualised: fewer rows in the DOM than events, and each expands.
    const eventRows = page.locator('[data-testid="events-table"] .vt-row[role="row"]')
    expect(await eventRows.count()).toBeLessThan(target.attemptCount)
    const firstUser = await eventRows.first().locator('[role="cell"]').nth(1).textContent()
    await eventRows.first().locator('button').click()
    const raw = page.locator('[data-testid="raw-record"]').first()
    await raw.waitFor()
    const record = JSON.parse((await raw.textContent()) ?? '{}')
    expect(String(record.userPrincipalName).toLowerCase()).toBe(firstUser)

    await page.locator('[data-testid="username-timeline-chart"] .recharts-scatter-symbol').first().waitFor()
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), (await page.locator('a:text("Export CSV")').getAttribute('href'))!)
    expect(csv.split('\r\n')[0]).toBe('username,attempts,error_codes,account_exists,first_attempt_utc,last_attempt_utc,source_ip,bucket_utc')
    expect(csv.trim().split('\r\n')).toHaveLength(target.uniqueUsernames + 1)
    await screenshot(page, 'finding')
  })

  it('datasets page: the demo import with its counts', async () => {
    const page = browser.page()
    await page.goto(browser.url('/datasets'))
    const dataset = page.locator('[data-testid="dataset"][data-dataset="demo"]')
    await dataset.waitFor()
    const cells = await dataset.locator('[data-testid="imports-table"] tbody tr').first().locator('td').allTextContents()
    expect(cells[1]).toBe('graph')
    expect(cells[2]).toBe('imported')
    expect(Number(cells[7].replaceAll(',', ''))).toBe(0)
    // A viewer may not delete datasets: the button is not offered.
    await dataset.locator('h2 a').click()
    await page.waitForURL(/\/datasets\/\d+$/)
    await page.locator('[data-testid="imports-table"]').waitFor()
    expect(await page.locator('button:text("Delete dataset")').count()).toBe(0)
    await screenshot(page, 'datasets')
  })

  it('raised no errors in the browser console', () => {
    expect(browser.errors).toEqual([])
  })
})
