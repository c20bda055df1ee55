import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { axeViolations } from '../helpers/axe'
import { browserAvailable, screenshot, useBrowser } from '../helpers/browser'
import { sampleGraphSignIns } from '../helpers/fake-microsoft'
import { pageJson as api, uploadThroughApi } from '../helpers/page-api'

// The rest of issue 13, in real Chromium: the IP timeline opens on a short burst inside a longer
// span; campaigns awaiting review are in /review beside the findings, approved in bulk; a bulk
// change to "all N matching this view" goes to the server as the view, and can be undone.
// Every check reads this file's own datasets (other files share the database).

const ROW = '[data-testid="findings-table"] tbody tr'
const tag = randomBytes(3).toString('hex')
const BURST = `e2e-burst-${tag}`
const QUEUE = `e2e-campaign-queue-${tag}`
const VIEW = `e2e-view-${tag}`
const APPS = `e2e-client-apps-${tag}`
const BURST_IP = '192.0.2.177'
const VIEW_SOURCES = 30

type SignIn = Record<string, unknown>

function signIn(id: string, at: number, ip: string, user: string, code = 50034): SignIn {
  const template = sampleGraphSignIns()[0]
  return {
    ...template,
    id,
    correlationId: id,
    createdDateTime: new Date(at).toISOString(),
    userPrincipalName: user,
    ipAddress: ip,
    status: { errorCode: code, failureReason: code === 50034 ? 'The user account does not exist' : 'Invalid username or password' },
  }
}

/** 40 attempts in 20 minutes (10:00–10:20), and one more two days later. */
function burstExport(): Buffer {
  const start = Date.UTC(2026, 1, 10, 10, 0, 0)
  const value = Array.from({ length: 40 }, (_, i) => signIn(`burst-${tag}-${i}`, start + i * 30_000, BURST_IP, `burst${i}@burst.example`))
  value.push(signIn(`burst-${tag}-late`, start + 2 * 24 * 3_600_000 + 5 * 60_000, BURST_IP, 'late@burst.example'))
  return Buffer.from(JSON.stringify({ value }))
}

/** `sources` addresses of one /24 with one tool, 12 names each in one hour: that many findings, one campaign. */
function sourcesExport(prefix: string, third: number, sources: number): Buffer {
  const value: SignIn[] = []
  for (let s = 0; s < sources; s++) {
    for (let u = 0; u < 12; u++) value.push(signIn(`${prefix}-${tag}-${s}-${u}`, Date.UTC(2026, 1, 12, 9, s, u * 2), `198.51.${third}.${s + 10}`, `user${u}.${s}@${prefix}.example`))
  }
  return Buffer.from(JSON.stringify({ value }))
}

/** Two addresses probing 12 names in one hour: one's log left the client app empty, the other's says Browser. */
function clientAppsExport(): Buffer {
  const at = Date.UTC(2026, 1, 11, 14, 0, 0)
  const value = (
    [
      ['', '198.51.92.10'],
      ['Browser', '198.51.92.20'],
    ] as const
  ).flatMap(([clientAppUsed, ip]) => Array.from({ length: 12 }, (_, u) => ({ ...signIn(`apps-${tag}-${ip}-${u}`, at + u * 60_000, ip, `apps${u}@apps.example`), clientAppUsed })))
  return Buffer.from(JSON.stringify({ value }))
}

const upload = async (page: Page, url: (p: string) => string, dataset: string, content: Buffer): Promise<string> =>
  (await uploadThroughApi(page, url, dataset, `${dataset}.json`, content)).status

describe.skipIf(!browserAvailable)('acting on a view', () => {
  const browser = useBrowser('lead', 'analyst')
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    if (!browserAvailable) return
    const analyst = browser.page('analyst')
    await analyst.goto(browser.url('/'))
    expect(await upload(analyst, browser.url, BURST, burstExport())).toBe('succeeded')
    expect(await upload(analyst, browser.url, QUEUE, sourcesExport('queue', 90, 2))).toBe('succeeded')
    expect(await upload(analyst, browser.url, VIEW, sourcesExport('view', 91, VIEW_SOURCES))).toBe('succeeded')
    expect(await upload(analyst, browser.url, APPS, clientAppsExport())).toBe('succeeded')
    const { datasets } = await api<{ datasets: { id: number; name: string }[] }>(analyst, '/api/datasets')
    for (const name of [BURST, QUEUE, VIEW, APPS]) ids[name] = datasets.find((d) => d.name === name)!.id
  })

  it('IP timeline: a 20-minute burst with one sign-in two days later opens on the burst in 5-minute bins; the whole span is a click away and the link keeps it', async () => {
    const page = browser.page('analyst')
    const path = `/ips/${BURST_IP}?dataset=${ids[BURST]}`
    await page.goto(browser.url(path))
    const fine = page.locator('[data-testid="ip-fine-timeline-chart"]')
    await fine.locator('.recharts-bar-rectangle').first().waitFor()
    expect(await page.locator('[data-testid="timeline-opened-on"]').textContent()).toContain('2026-02-10 10:00')
    expect(await page.locator('section[aria-label="Zoomed timeline"] h3').textContent()).toContain('2026-02-10 10:00')
    // Four 5-minute bins of ten attempts each, each bar wide enough to read.
    const bars = await fine.locator('.recharts-bar-rectangle path').evaluateAll((paths) => paths.map((p) => p.getBoundingClientRect()))
    expect(bars).toHaveLength(4)
    expect(Math.min(...bars.map((b) => b.width))).toBeGreaterThan(10)
    // Every bin of the hour has its slot: the 20 minutes fill the first third of the chart, not all of it.
    const box = (await fine.boundingBox())!
    expect(Math.max(...bars.map((b) => b.right))).toBeLessThan(box.x + box.width / 2)
    expect(new URL(page.url()).searchParams.get('zoom')).toBeNull()
    expect(await axeViolations(page)).toEqual([])

    // Widen: the whole span, hourly; the link says so and a reload keeps it.
    await page.locator('[data-testid="timeline-whole-span"]').click()
    await expect.poll(() => fine.count()).toBe(0)
    expect(new URL(page.url()).searchParams.get('zoom')).toBe('all')
    await page.reload()
    await page.locator('[data-testid="ip-timeline-chart"] .recharts-bar-rectangle').first().waitFor()
    await page.waitForTimeout(600)
    expect(await fine.count()).toBe(0)
    // And back to the burst, with its hours in the link.
    await page.locator('[data-testid="timeline-busiest"]').click()
    await fine.locator('.recharts-bar-rectangle').first().waitFor()
    expect(new URL(page.url()).searchParams.get('zoom')).toBe('2026-02-10T10,2026-02-10T10')
    await screenshot(page, 'ip-burst')
  })

  it('client-app filter: an empty client app is a choice of its own, apart from "All client apps"', async () => {
    const page = browser.page('analyst')
    await page.goto(browser.url(`/findings?dataset=${ids[APPS]}`))
    const ips = () => page.locator(`${ROW} td[data-column="ipAddress"]`).allTextContents()
    const select = page.locator('select[name="app"]')
    const shown = () => select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)
    await expect.poll(async () => (await ips()).sort()).toEqual(['198.51.92.10', '198.51.92.20'])
    // Both used to have the value "": with no filter the box showed "(empty)", and choosing it cleared the filter.
    expect(await shown()).toBe('All client apps')

    await select.selectOption({ label: '(empty)' })
    await page.waitForURL(/[?&]app=(&|$)/)
    await expect.poll(ips).toEqual(['198.51.92.10'])
    expect(await shown()).toBe('(empty)')
    await page.reload()
    await expect.poll(ips).toEqual(['198.51.92.10'])
    expect(await shown()).toBe('(empty)')

    await select.selectOption({ label: 'Browser' })
    await page.waitForURL(/[?&]app=Browser/)
    await expect.poll(ips).toEqual(['198.51.92.20'])
    await select.selectOption({ label: 'All client apps' })
    await expect.poll(() => new URL(page.url()).searchParams.has('app')).toBe(false)
    await expect.poll(async () => (await ips()).sort()).toEqual(['198.51.92.10', '198.51.92.20'])
    expect(await shown()).toBe('All client apps')
  })

  it('review queue: a campaign an analyst closed waits beside the findings, and a lead approves it in bulk', async () => {
    const analyst = browser.page('analyst')
    await analyst.goto(browser.url('/'))
    const { campaigns } = await api<{ campaigns: { id: number }[] }>(analyst, `/api/campaigns?dataset=${ids[QUEUE]}`)
    expect(campaigns).toHaveLength(1)
    const campaign = campaigns[0].id
    await api(analyst, '/api/campaigns/triage', { method: 'POST', body: { campaignIds: [campaign], close: { classification: 'true_positive', reason: 'one tool over a /24' } } })

    const lead = browser.page('lead')
    await lead.goto(browser.url(`/review?dataset=${ids[QUEUE]}`))
    const queue = lead.locator('[data-testid="campaign-review-queue"]')
    const row = queue.locator(`tr[data-campaign-id="${campaign}"]`)
    await row.waitFor()
    expect(await row.locator('td[data-column="classification"]').textContent()).toBe('True positive')
    expect(await row.locator('td[data-column="reason"]').textContent()).toBe('one tool over a /24')
    expect(await axeViolations(lead)).toEqual([])

    await row.locator('input[type="checkbox"]').check()
    await queue.locator('button:text("Approve campaign closures")').click()
    const dialog = lead.locator('[data-testid="campaign-review-confirm"]')
    expect(await dialog.textContent()).toContain('Approve the closure of 1 campaign?')
    await dialog.locator('button:text("Approve")').click()
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(0)
    const listed = await api<{ campaigns: { id: number; reviewStatus: string }[] }>(lead, `/api/campaigns?dataset=${ids[QUEUE]}`)
    expect(listed.campaigns.find((c) => c.id === campaign)?.reviewStatus).toBe('approved')
    // The queue's Review filter lists it among the approved.
    await lead.goto(browser.url(`/review?dataset=${ids[QUEUE]}&review=approved`))
    await queue.locator(`tr[data-campaign-id="${campaign}"]`).waitFor()
  })

  it('bulk: "all N matching this view" is sent as the view, the confirmation names N, and the change can be undone', async () => {
    const page = browser.page('analyst')
    const bodies: Record<string, unknown>[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/findings/triage')) bodies.push(request.postDataJSON() as Record<string, unknown>)
    })
    const severities = async () => (await api<{ rows: { severity: string }[] }>(page, `/api/findings?dataset=${ids[VIEW]}&size=250`)).rows.map((r) => r.severity)
    expect(new Set(await severities())).toEqual(new Set(['low']))

    await page.goto(browser.url(`/findings?dataset=${ids[VIEW]}&size=25`))
    await expect.poll(() => page.locator(ROW).count()).toBe(25)
    await page.locator('[data-testid="findings-table"] thead input[type="checkbox"]').check()
    await page.locator('[data-testid="select-all-banner"] button').click()
    expect(await page.locator('[data-testid="selected-count"]').textContent()).toContain(`${VIEW_SOURCES} selected`)

    await page.locator('[data-testid="bulk-actions"] select[name="severity"]').selectOption('medium')
    const dialog = page.locator('[data-testid="bulk-confirm"]')
    expect(await dialog.textContent()).toContain(`Set the severity of ${VIEW_SOURCES} findings to Medium?`)
    expect(await dialog.textContent()).toContain(`Every finding matching this view: ${VIEW_SOURCES}`)
    await dialog.locator('button:text("Apply")').click()
    const banner = page.locator('[data-testid="undo-banner"]')
    await expect.poll(() => banner.textContent(), { timeout: 20_000 }).toContain(`Changed the severity of ${VIEW_SOURCES} findings`)
    expect(bodies.at(-1)).toMatchObject({ view: expect.stringContaining(`dataset=${ids[VIEW]}`), expected: VIEW_SOURCES, severity: 'medium' })
    expect(bodies.at(-1)).not.toHaveProperty('findingIds')
    expect(await severities()).toEqual(Array(VIEW_SOURCES).fill('medium'))
    expect(await axeViolations(page)).toEqual([])

    await banner.locator('button:text("Undo")').click()
    await expect.poll(() => banner.textContent(), { timeout: 20_000 }).toContain(`Undone: ${VIEW_SOURCES} findings have their previous value back`)
    expect(new Set(await severities())).toEqual(new Set(['low']))

    // The owner, too: assigned to the analyst, then back to nobody.
    await page.locator('[data-testid="findings-table"] thead input[type="checkbox"]').check()
    await page.locator('[data-testid="select-all-banner"] button').click()
    await page.locator('[data-testid="bulk-actions"] button:text("Assign to me")').click()
    expect(await dialog.textContent()).toContain(`Assign ${VIEW_SOURCES} findings to you?`)
    await dialog.locator('button:text("Apply")').click()
    await expect.poll(() => banner.textContent(), { timeout: 20_000 }).toContain(`Changed the owner of ${VIEW_SOURCES} findings`)
    expect((await api<{ total: number }>(page, `/api/findings?dataset=${ids[VIEW]}&owner=me`)).total).toBe(VIEW_SOURCES)
    await banner.locator('button:text("Undo")').click()
    await expect.poll(() => banner.textContent(), { timeout: 20_000 }).toContain('Undone')
    expect((await api<{ total: number }>(page, `/api/findings?dataset=${ids[VIEW]}&owner=none&status=new`)).total).toBe(VIEW_SOURCES)
  })
})
