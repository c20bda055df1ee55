import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable, screenshot, useBrowser } from '../helpers/browser'
import { sampleGraphSignIns } from '../helpers/fake-microsoft'
import { pageJson as api, uploadThroughApi } from '../helpers/page-api'

// What got in the way of analysts and leads working their queue (issue 13), in real Chromium:
// create forms that reset, the review queue, bulk actions beyond one page, the upload target,
// a table that fits the screen, sorting, the IP timeline's zoom, quick ranges and breadcrumbs,
// tuning's errors in words and the suppression preview.

const ROW = '[data-testid="findings-table"] tbody tr'
/** A dataset of 30 findings (30 sources × 12 names in one hour), more than one 25-row page. */
const WIDE = `e2e-wide-${randomBytes(3).toString('hex')}`
const WIDE_SOURCES = 30

function wideExport(): Buffer {
  const template = sampleGraphSignIns()[0]
  const value: Record<string, unknown>[] = []
  for (let s = 0; s < WIDE_SOURCES; s++) {
    for (let u = 0; u < 12; u++) {
      value.push({
        ...template,
        id: `wide-${s}-${u}`,
        correlationId: `wide-${s}-${u}`,
        createdDateTime: new Date(Date.UTC(2026, 1, 10, 9, s, u)).toISOString(),
        userPrincipalName: `user${u}@wide.example`,
        ipAddress: `203.0.113.${s + 100}`,
        status: { errorCode: 50034, failureReason: 'The user account does not exist' },
      })
    }
  }
  return Buffer.from(JSON.stringify({ value }))
}

describe.skipIf(!browserAvailable)('working the queue', () => {
  const browser = useBrowser('admin', 'lead', 'analyst', 'viewer')
  let wide = 0
  let demo = 0

  beforeAll(async () => {
    if (!browserAvailable) return
    const analyst = browser.page('analyst')
    await analyst.goto(browser.url('/'))
    const result = await uploadThroughApi(analyst, browser.url, WIDE, 'wide.json', wideExport())
    expect(result.status).toBe('succeeded')
    const datasets = await api<{ datasets: { id: number; name: string }[] }>(analyst, '/api/datasets')
    wide = datasets.datasets.find((d) => d.name === WIDE)!.id
    demo = datasets.datasets.find((d) => d.name === 'demo')!.id
  })

  it('creating an account and an API token: the form clears, the list shows it, nothing throws', async () => {
    const page = browser.page('admin')
    const before = browser.errors.length
    await page.goto(browser.url('/admin/users'))
    const email = `new-${randomBytes(3).toString('hex')}@example.com`
    const form = page.locator('form[aria-label="New account"]')
    await form.locator('input[name="email"]').fill(email)
    await form.locator('input[name="displayName"]').fill('New Analyst')
    await form.locator('input[name="password"]').fill('a-long-password-123')
    await form.locator('button[type="submit"]').click()
    await page.locator(`[data-testid="users-table"] tr[data-email="${email}"]`).waitFor()
    expect(await page.locator('[data-testid="user-created"]').textContent()).toContain(email)
    expect(await form.locator('input[name="email"]').inputValue()).toBe('')
    expect(await page.locator('.error-box').count()).toBe(0)

    await page.goto(browser.url('/account'))
    const tokens = page.locator('[data-testid="api-tokens"]')
    await tokens.locator('input[name="name"]').fill('nightly export')
    await tokens.locator('button[type="submit"]').click()
    await tokens.locator('[data-testid="new-token"]').waitFor()
    await expect.poll(() => tokens.locator('tbody tr:has-text("nightly export")').count()).toBe(1)
    expect(await tokens.locator('input[name="name"]').inputValue()).toBe('')
    expect(await tokens.locator('.error-box').count()).toBe(0)
    expect(browser.errors.slice(before).filter((e) => e.startsWith('admin'))).toEqual([])
  })

  it('the review queue: classification and reason, a Review filter that works, one Reopen with its error beside the box, bulk approve', async () => {
    const analyst = browser.page('analyst')
    await analyst.goto(browser.url('/'))
    const low = await api<{ rows: { id: number }[] }>(analyst, `/api/findings?dataset=${wide}&sort=ipAddress.asc`)
    const ids = low.rows.slice(0, 3).map((r) => r.id)
    await api(analyst, '/api/findings/triage', { method: 'POST', body: { findingIds: ids, close: { classification: 'benign_positive', reason: 'our vulnerability scanner' } } })

    const page = browser.page('lead')
    await page.goto(browser.url(`/review?dataset=${wide}`))
    await expect.poll(() => page.locator(ROW).count()).toBe(3)
    expect(await page.locator(`${ROW} td[data-column="classification"]`).allTextContents()).toEqual(['Benign positive', 'Benign positive', 'Benign positive'])
    expect(await page.locator(`${ROW} td[data-column="reason"]`).first().textContent()).toBe('our vulnerability scanner')
    const review = page.locator('select[name="review"]')
    expect(await review.inputValue()).toBe('pending')
    await review.selectOption('approved')
    await page.waitForURL(/review=approved/)
    await expect.poll(() => page.locator(ROW).count()).toBe(0)
    expect(await review.inputValue()).toBe('approved')
    await screenshot(page, 'review-queue-approved-filter')

    // One finding: one Reopen (the review's), and its missing comment said beside the box, on screen.
    await page.goto(browser.url(`/findings/${ids[0]}`))
    const panel = page.locator('[data-testid="triage-panel"]')
    await panel.waitFor()
    expect(await panel.locator('button:text-is("Reopen")').count()).toBe(1)
    await page.setViewportSize({ width: 1280, height: 600 })
    await panel.locator('button:text-is("Reopen")').click()
    const error = page.locator('[data-testid="review-comment-error"]')
    await error.waitFor()
    const box = (await error.boundingBox())!
    expect(box.y).toBeGreaterThanOrEqual(0)
    expect(box.y + box.height).toBeLessThanOrEqual(600)
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('reviewComment')
    expect(await page.locator('textarea[name="reviewComment"]').getAttribute('aria-invalid')).toBe('true')
    await page.setViewportSize({ width: 1280, height: 900 })

    // Bulk approve from the queue.
    await page.goto(browser.url(`/review?dataset=${wide}`))
    await page.locator('[data-testid="findings-table"] thead input[type="checkbox"]').check()
    await page.locator('[data-testid="bulk-actions"] button:text("Approve closures")').click()
    const dialog = page.locator('[data-testid="bulk-confirm"]')
    expect(await dialog.textContent()).toContain('Approve the closure of 3 findings?')
    await dialog.locator('button:text("Apply")').click()
    await expect.poll(() => page.locator(ROW).count(), { timeout: 20_000 }).toBe(0)
    const approved = await api<{ total: number }>(page, `/api/findings?dataset=${wide}&review=approved`)
    expect(approved.total).toBe(3)
  })

  it('bulk actions: select all matching the view, kept across pages, owner and severity changes confirmed', async () => {
    const page = browser.page('analyst')
    await page.goto(browser.url(`/findings?dataset=${wide}&size=25&status=new`))
    await expect.poll(() => page.locator(ROW).count()).toBe(25)
    await page.locator('[data-testid="findings-table"] thead input[type="checkbox"]').check()
    const banner = page.locator('[data-testid="select-all-banner"]')
    await banner.locator('button').click()
    const count = page.locator('[data-testid="selected-count"]')
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toContain(`${WIDE_SOURCES - 3} selected`)

    // Paging keeps it.
    await page.locator('nav[aria-label="Pages"] button:text("Next")').click()
    await page.waitForURL(/page=2/)
    await expect.poll(() => page.locator(ROW).count()).toBe(WIDE_SOURCES - 3 - 25)
    expect(await count.textContent()).toContain(`${WIDE_SOURCES - 3} selected (25 on other pages)`)
    expect(await page.locator(`${ROW} td[data-column="select"] input:checked`).count()).toBe(WIDE_SOURCES - 3 - 25)

    // Severity asks first; cancelling changes nothing.
    await page.locator('[data-testid="bulk-actions"] select[name="severity"]').selectOption('low')
    const dialog = page.locator('[data-testid="bulk-confirm"]')
    expect(await dialog.textContent()).toContain(`Set the severity of ${WIDE_SOURCES - 3} findings to Low?`)
    await dialog.locator('button:text("Cancel")').click()
    expect((await api<{ total: number }>(page, `/api/findings?dataset=${wide}&owner=me`)).total).toBe(0)

    // The owner change, confirmed, reaches every selected finding, on every page.
    await page.locator('[data-testid="bulk-actions"] button:text("Assign to me")').click()
    expect(await dialog.textContent()).toContain(`Assign ${WIDE_SOURCES - 3} findings to you?`)
    await dialog.locator('button:text("Apply")').click()
    await expect.poll(() => api<{ total: number }>(page, `/api/findings?dataset=${wide}&owner=me`).then((r) => r.total), { timeout: 20_000 }).toBe(WIDE_SOURCES - 3)
    await expect.poll(() => page.locator('[data-testid="bulk-actions"]').count(), { timeout: 20_000 }).toBe(0)
  })

  it('uploads: nothing is sent before the dataset is chosen, rows name it, jobs listed once, a refused file leaves no empty dataset', async () => {
    const page = browser.page('analyst')
    await page.goto(browser.url('/upload'))
    expect(await page.locator('input[name="dataset"]').inputValue()).toBe('')
    expect(await page.locator('select[name="existingDataset"]').inputValue()).toBe('')
    const dir = mkdtempSync(path.join(os.tmpdir(), 'et-upload-'))
    const good = path.join(dir, 'good.json')
    const bad = path.join(dir, 'picture.png')
    writeFileSync(good, wideExport())
    writeFileSync(bad, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), Buffer.alloc(4000, 1)]))

    let sent = 0
    page.on('request', (request) => {
      if (request.url().includes('/api/uploads') && request.method() !== 'GET') sent++
    })
    await page.locator('[data-testid="file-input"]').setInputFiles([bad])
    await page.locator('[data-testid="staged-files"]').waitFor()
    expect(await page.locator('[data-testid="upload-button"]').isDisabled()).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(sent).toBe(0)

    // Only a wrong file, into a new dataset: refused, and the dataset does not stay behind empty.
    const doomed = `e2e-doomed-${randomBytes(3).toString('hex')}`
    await page.locator('input[name="dataset"]').fill(doomed)
    await page.locator('[data-testid="upload-button"]').click()
    const row = (file: string) => page.locator(`[data-testid="uploads-table"] [data-testid="upload-row"][data-file="${file}"]`)
    await expect.poll(() => row('picture.png').getAttribute('data-status'), { timeout: 30_000 }).toMatch(/failed|refused/)
    expect(await row('picture.png').textContent()).toContain(`into “${doomed}”`)
    await expect.poll(async () => (await api<{ datasets: { name: string }[] }>(page, '/api/datasets')).datasets.some((d) => d.name === doomed)).toBe(false)

    // A good file into an existing dataset, chosen from the list.
    await page.locator('select[name="existingDataset"]').selectOption(WIDE)
    await page.locator('[data-testid="file-input"]').setInputFiles([good])
    await page.locator('[data-testid="upload-button"]').click()
    await expect.poll(() => row('good.json').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded')
    expect(await row('good.json').getAttribute('data-dataset')).toBe(WIDE)
    // The job is in the live table; the earlier imports below do not list it a second time.
    await page.waitForTimeout(1500)
    const jobsShown = await page.locator('[data-testid="upload-row"][data-file="good.json"]').count()
    expect(jobsShown).toBe(1)
    await screenshot(page, 'upload-target')
  })

  it('the findings table fits 1440 px with its first columns sticky; the Columns menu closes with Escape and a click outside', async () => {
    const page = browser.page('viewer')
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto(browser.url(`/findings?dataset=${demo}`))
    await page.locator(ROW).first().waitFor()
    const scroll = page.locator('.table-scroll:has([data-testid="findings-table"])')
    const fits = await scroll.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
      columns: [...el.querySelectorAll('thead th')].map((th) => `${(th as HTMLElement).dataset.column}:${Math.round(th.getBoundingClientRect().width)}`).join(' '),
    }))
    await screenshot(page, 'findings-1440')
    expect(fits.scroll, fits.columns).toBeLessThanOrEqual(fits.client)
    for (const column of ['status', 'owner', 'severity']) expect(await page.locator(`${ROW} td[data-column="${column}"]`).count()).toBeGreaterThan(0)

    // With every column shown it scrolls sideways inside a box no taller than the window, the verdict and IP staying put.
    await page.goto(browser.url(`/findings?dataset=${demo}&hide=`))
    await page.locator(ROW).first().waitFor()
    const wideBox = await scroll.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, bottom: el.getBoundingClientRect().bottom, top: el.getBoundingClientRect().top, height: el.clientHeight }))
    expect(wideBox.scroll).toBeGreaterThan(wideBox.client)
    expect(wideBox.height).toBeLessThanOrEqual(900)
    const ipBefore = (await page.locator(`${ROW} td[data-column="ipAddress"]`).first().boundingBox())!.x
    await scroll.evaluate((el) => el.scrollBy({ left: 600 }))
    await page.waitForTimeout(100)
    expect((await page.locator(`${ROW} td[data-column="ipAddress"]`).first().boundingBox())!.x).toBeCloseTo(ipBefore, 0)
    expect(await page.locator(`${ROW} td[data-column="verdict"]`).first().evaluate((el) => getComputedStyle(el).position)).toBe('sticky')

    const menu = page.locator('details.columns-menu')
    await menu.locator('summary').click()
    expect(await menu.getAttribute('open')).not.toBeNull()
    await page.keyboard.press('Escape')
    await expect.poll(() => menu.getAttribute('open')).toBeNull()
    await menu.locator('summary').click()
    expect(await menu.getAttribute('open')).not.toBeNull()
    await page.locator('h1').click()
    await expect.poll(() => menu.getAttribute('open')).toBeNull()
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('on a 390×844 phone the navigation is a menu', async () => {
    const page = browser.page('lead')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(browser.url('/findings'))
    const nav = page.locator('nav[aria-label="Main"]')
    expect(await nav.isVisible()).toBe(false)
    const toggle = page.locator('button.menu-toggle')
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    await toggle.click()
    expect(await nav.isVisible()).toBe(true)
    const overflow = await page.evaluate(() => document.querySelector('header.topbar')!.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    for (const link of await nav.locator('a').all()) {
      const box = (await link.boundingBox())!
      expect(box.x + box.width).toBeLessThanOrEqual(390)
    }
    await nav.locator('a:text("Tuning")').click()
    await page.waitForURL(/\/tuning/)
    await expect.poll(() => nav.isVisible()).toBe(false)
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('sorting: a count sorts largest first, text A→Z first, and a second click turns it around', async () => {
    const page = browser.page('viewer')
    for (const [column, first] of [
      ['bucket', 'asc'],
      ['ipAddress', 'asc'],
      ['uniqueUsernames', 'desc'],
      ['attemptCount', 'desc'],
    ] as const) {
      await page.goto(browser.url(`/findings?dataset=${demo}`))
      await page.locator(ROW).first().waitFor()
      const second = first === 'asc' ? 'desc' : 'asc'
      await page.locator(`th button[data-column="${column}"]`).click()
      await page.waitForURL(new RegExp(`sort=${column}\\.${first}$`))
      await expect.poll(() => page.locator(`th[aria-sort="${first === 'asc' ? 'ascending' : 'descending'}"] button[data-column="${column}"]`).count()).toBe(1)
      await page.locator(`th button[data-column="${column}"]`).click()
      await page.waitForURL(new RegExp(`sort=${column}\\.${second}$`))
      await page.locator(`th button[data-column="${column}"]`).click()
      await page.waitForURL(new RegExp(`sort=${column}\\.${first}$`))
    }
    await page.locator('th button[data-column="attemptCount"]').click()
    await page.waitForURL(/sort=attemptCount\.asc$/)
    const attempts = (await page.locator(`${ROW} td[data-column="attemptCount"]`).allTextContents()).map(Number)
    expect(attempts).toEqual([...attempts].sort((a, b) => a - b))
  })

  it('IP timeline: one hour of activity is a bar, not a block; 5-minute bins open; the zoom is in the URL; 50056 and 50126 look different', async () => {
    const page = browser.page('viewer')
    await page.goto(browser.url(`/ips/203.0.113.45?dataset=${demo}`))
    const chart = page.locator('[data-testid="ip-timeline-chart"]')
    await chart.locator('.recharts-bar-rectangle').first().waitFor()
    const width = (await chart.boundingBox())!.width
    const bars = await chart.locator('.recharts-bar-rectangle path').evaluateAll((paths) => paths.map((p) => p.getBoundingClientRect().width))
    expect(Math.max(...bars)).toBeLessThan(width / 4)
    await page.locator('[data-testid="ip-fine-timeline-chart"] .recharts-bar-rectangle').first().waitFor()

    // A zoom in the URL opens there.
    await page.goto(browser.url(`/ips/198.51.100.20?dataset=${demo}`))
    await chart.locator('.recharts-bar-rectangle').first().waitFor()
    // 198.51.100.20 probes over two days: it opens on the whole span, hourly; a zoom in the URL opens on that hour in 5-minute bins.
    expect(await page.locator('[data-testid="ip-fine-timeline-chart"]').count()).toBe(0)
    const findings = await api<{ rows: { bucket: string }[] }>(page, `/api/findings?dataset=${demo}&q=198.51.100.20`)
    const first = findings.rows.map((r) => r.bucket).sort()[0].slice(0, 13)
    await page.goto(browser.url(`/ips/198.51.100.20?dataset=${demo}&zoom=${first},${first}`))
    await page.locator('[data-testid="ip-fine-timeline-chart"] .recharts-bar-rectangle').first().waitFor()
    expect(await page.locator('section[aria-label="Zoomed timeline"] h3').textContent()).toContain(first.replace('T', ' '))

    const { codeColor } = await import('@/components/charts/code-colors')
    const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
    const [a, b] = [rgb(codeColor('50056')), rgb(codeColor('50126'))]
    expect(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])).toBeGreaterThan(120)
  })

  it('quick time ranges count back from the newest sign-in; breadcrumbs lead back to the filtered view', async () => {
    const page = browser.page('viewer')
    await page.goto(browser.url(`/findings?dataset=${demo}&size=100`))
    await page.locator(ROW).first().waitFor()
    const ranges = page.locator('[aria-label="Quick time ranges"]')
    expect(await ranges.textContent()).toContain('counted back from the newest sign-in')
    await ranges.locator('button:text("Last 7 days")').click()
    await page.waitForURL(/from=.*to=/)
    const url = new URL(page.url())
    const span = Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!)
    expect(span).toBe(7 * 24 * 3_600_000)
    expect(await ranges.locator('button:text("Last 7 days")').getAttribute('aria-pressed')).toBe('true')
    expect(await page.locator(ROW).count()).toBeGreaterThan(0)
    const view = `${url.pathname}${url.search}`

    await page.locator(`${ROW} td[data-column="ipAddress"] a`).first().click()
    await page.waitForURL(/\/ips\//)
    const crumb = page.locator('[data-testid="back-to-findings"]')
    await expect.poll(() => crumb.getAttribute('href')).toBe(view)
    await crumb.click()
    await page.waitForURL((u) => `${u.pathname}${u.search}` === view)
    await page.locator(`${ROW} td[data-column="uniqueUsernames"] a`).first().click()
    await page.waitForURL(/\/findings\/\d+$/)
    await expect.poll(() => crumb.getAttribute('href')).toBe(view)
    await page.goBack()
    await page.waitForURL((u) => `${u.pathname}${u.search}` === view)
    expect(await ranges.locator('button:text("Last 7 days")').getAttribute('aria-pressed')).toBe('true')

    await ranges.locator('button:text("All time")').click()
    await page.waitForURL((u) => !u.searchParams.has('from'))
  })

  it('tuning: a what-if with invalid values says so by the field and clears the old preview; a suppression previews what it hides and warns of a Critical finding', async () => {
    const page = browser.page('lead')
    await page.goto(browser.url(`/tuning?dataset=${demo}`))
    const form = page.locator('[data-testid="settings-form"]')
    await form.locator('button:text("What if? (preview)")').click()
    await form.locator('[data-testid="what-if"]').waitFor()
    await form.locator('input[name="moderateThreshold"]').fill('')
    await form.locator('input[name="highThreshold"]').fill('abc')
    await form.locator('button:text("What if? (preview)")').click()
    await expect.poll(() => form.locator('[data-testid="what-if"]').count()).toBe(0)
    expect(await form.locator('[data-testid="error-moderateThreshold"]').textContent()).toBe('Enter a whole number, 1 or more.')
    expect(await form.locator('[data-testid="error-highThreshold"]').textContent()).toContain('is not a whole number')
    expect(await form.textContent()).not.toMatch(/Invalid input|expected number/)
    expect(await form.locator('input[name="moderateThreshold"]').getAttribute('aria-invalid')).toBe('true')
    await page.reload()

    // 192.0.2.99 is the incident whose probed password proved right (Critical).
    await page.locator('button:text("New rule")').click()
    const rule = page.locator('[data-testid="suppression-form"]')
    await rule.locator('input[name="name"]').fill('Too wide')
    await rule.locator('input[name="cidr"]').fill('192.0.2.0/24')
    await rule.locator('input[name="reason"]').fill('testing')
    await rule.locator('button:text("Preview what it hides")').click()
    await rule.locator('[data-testid="suppression-preview"]').waitFor()
    expect(Number(await rule.locator('[data-testid="suppression-preview-total"]').textContent())).toBeGreaterThan(0)
    expect(await rule.locator('[data-testid="suppression-critical-warning"]').textContent()).toContain('Critical')
    await rule.locator('button[type="submit"]').click()
    expect(await rule.locator('[data-testid="suppression-preview-error"]').textContent()).toContain('Critical')
    expect(await page.locator('[data-testid="suppression-list"] tr[data-rule="Too wide"]').count()).toBe(0)
    await rule.locator('button:text("Cancel")').click()

    // A viewer reads the settings as values, not as disabled boxes.
    const viewer = browser.page('viewer')
    await viewer.goto(browser.url(`/tuning?dataset=${demo}`))
    await viewer.locator('[data-testid="settings-values"]').waitFor()
    expect(await viewer.locator('[data-testid="settings-form"] input').count()).toBe(0)
  })
})
