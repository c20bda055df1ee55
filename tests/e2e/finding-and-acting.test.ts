import { writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { DEMO_SCENARIOS, expectedDemoFindings } from '@/lib/demo/scenarios'
import { DEMO_ANCHOR, TEST_USERS } from '../setup/app-server'
import { browserAvailable, screenshot, useBrowser } from '../helpers/browser'
import { cliIngest } from '../helpers/cli-ingest'
import { probeAttempts } from '../helpers/probe-attempts'

// Issue 13 in Chromium: finding what you look for (a username beyond the sample, a finding's own
// username filter, an hour bar that leads to what explains it, the escalated card), counts that
// say what they count, and campaigns triaged like findings.

/** Each step waits for the server's answer and a refresh; on a busy machine that can take seconds. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 })
const HOUR = 3_600_000
const anchor = Date.parse(DEMO_ANCHOR)
const spray = expectedDemoFindings(new Date(DEMO_ANCHOR)).find((f) => f.uniqueUsernames === 77)!
const hourOf = (id: string) => new Date(Math.floor((anchor + DEMO_SCENARIOS.find((s) => s.id === id)!.window.start * 60_000) / HOUR) * HOUR).toISOString()

describe.skipIf(!browserAvailable)('finding what you look for, and acting on campaigns', () => {
  const browser = useBrowser('analyst', 'lead')
  let demo = 0
  let synthetic = 0

  beforeAll(async () => {
    if (!browserAvailable) return
    // A campaign of two addresses of one /24 with one tool, each with a finding of its own (the
    // demo's campaigns have none), in a dataset of its own, deleted afterwards.
    const file = path.join(os.tmpdir(), `acting-${process.pid}.ndjson`)
    const start = Date.parse('2026-03-10T08:05:00Z')
    const source = (ip: string, offset: number, prefix: string) => probeAttempts(ip, start + offset, 12, prefix, { idPrefix: 'acting' })
    writeFileSync(file, [...source('192.0.2.210', 0, 'a'), ...source('192.0.2.211', 60_000, 'b')].join('\n'))
    await cliIngest(inject('appDatabaseUrl'), 'acting-campaign', [file])
    const datasets = (await browser.page().evaluate(async () => (await fetch('/api/datasets')).json())) as { datasets: { id: number; name: string }[] }
    demo = datasets.datasets.find((d) => d.name === 'demo')!.id
    synthetic = datasets.datasets.find((d) => d.name === 'acting-campaign')!.id
  })

  afterAll(async () => {
    if (!browserAvailable) return
    // Leaves the demo-only database the other browser tests expect.
    const status = await browser.page('lead').evaluate(async (id) => (await fetch(`/api/datasets/${id}`, { method: 'DELETE' })).status, synthetic)
    expect(status).toBe(200)
  })

  it('a username the finding counted but its 25-name sample leaves out finds the finding; its usernames table filters', async () => {
    const page = browser.page('analyst')
    const list = (await page.evaluate(async (q) => (await fetch(q)).json(), `/api/findings?dataset=${demo}&q=${encodeURIComponent(spray.ipAddress)}`)) as {
      rows: { id: number; uniqueUsernames: number; usernameSample: string[] }[]
    }
    const finding = list.rows.find((r) => r.uniqueUsernames === 77)!
    const { usernames: names } = (await page.evaluate(async (id) => (await fetch(`/api/findings/${id}/usernames`)).json(), finding.id)) as { usernames: { userPrincipalName: string }[] }
    const outside = names.map((n) => n.userPrincipalName).filter((n) => !finding.usernameSample.includes(n))
    expect(outside.length).toBeGreaterThan(0)

    await page.goto(browser.url(`/findings?dataset=${demo}`))
    await page.locator('input[type="search"]').fill(outside.at(-1)!)
    await page.locator('form[role="search"] button[type="submit"]').click()
    await page.waitForURL(/q=/)
    await poll(() => page.locator('[data-testid="findings-table"] tbody td[data-column="ipAddress"]').allTextContents()).toEqual([spray.ipAddress])
    await screenshot(page, 'findings-username-search')

    await page.goto(browser.url(`/findings/${finding.id}`))
    const rows = page.locator('[data-testid="usernames-table"] tbody tr')
    await poll(() => rows.count()).toBe(77)
    await page.locator('[data-testid="usernames-filter"]').fill(outside[0].split('@')[0].toUpperCase())
    await poll(() => page.locator('[data-testid="usernames-table"] tbody tr[data-username]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-username')))).toContain(outside[0])
    expect(await page.locator('[data-testid="usernames-filter-count"]').textContent()).toMatch(/of 77 usernames/)
    await page.locator('[data-testid="usernames-filter"]').fill('no-such-name-here')
    await poll(() => page.locator('text=No username of this finding matches').count()).toBe(1)
  })

  it('an hour bar of the overview opens what explains it: the campaign of 40 addresses, or a plain "nothing explains it"', async () => {
    const page = browser.page('analyst')
    await page.goto(browser.url(`/?dataset=${demo}`))
    const rotatingHour = hourOf('rotating-ip-spray')
    await page.locator(`[data-testid="hourly-activity-chart"] path[data-bucket="${rotatingHour}"]`).click()
    await page.waitForURL((url) => url.searchParams.get('hour') === rotatingHour)
    const panel = page.locator('[data-testid="hour-explanation"]')
    await poll(() => panel.locator('[data-testid="hour-campaigns"] tbody tr').count()).toBe(1)
    expect(await panel.locator('[data-testid="hour-sources"] tbody tr').count()).toBe(10)
    expect(await panel.locator('[data-testid="hour-unexplained"]').count()).toBe(0)
    await screenshot(page, 'overview-hour-campaign')
    await panel.locator('[data-testid="hour-campaigns"] a').first().click()
    await page.waitForURL(/\/campaigns\/\d+$/)

    await page.goto(browser.url(`/?dataset=${demo}`))
    const quietHour = hourOf('below-threshold')
    await page.locator(`[data-testid="hourly-activity-chart"] path[data-bucket="${quietHour}"]`).click()
    await page.waitForURL((url) => url.searchParams.get('hour') === quietHour)
    await poll(() => page.locator('[data-testid="hour-unexplained"]').textContent()).toContain('No finding or campaign explains this hour')
    expect(await page.locator('[data-testid="hour-sources"]').textContent()).toContain(DEMO_SCENARIOS.find((s) => s.id === 'below-threshold')!.sourceIps[0])

    // The spray's hour lists its finding.
    await page.goto(browser.url(`/?dataset=${demo}&hour=${encodeURIComponent(spray.bucket.toISOString())}`))
    await poll(() => page.locator('[data-testid="hour-findings"]').textContent()).toContain(spray.ipAddress)
  })

  it('the "password right" card opens the escalated filter', async () => {
    const page = browser.page('analyst')
    await page.goto(browser.url(`/?dataset=${demo}`))
    await page.locator('[data-stat="escalated"]').click()
    await page.waitForURL((url) => url.pathname === '/findings' && url.searchParams.get('escalated') === 'only')
    const rows = page.locator('[data-testid="findings-table"] tbody tr')
    // The incident, MSOLSpray, the pen test and the sweep; not the Entra Connect server, whose
    // successes are its own service account's.
    await poll(() => rows.count()).toBe(4)
    expect(await rows.evaluateAll((trs) => trs.every((tr) => tr.textContent?.includes('password right')))).toBe(true)
  })

  it('counts say what they count: the IP page and its chart tooltip agree, the yield adds up', async () => {
    const page = browser.page('analyst')
    await page.goto(browser.url(`/ips/${spray.ipAddress}?dataset=${demo}`))
    await poll(() => page.locator('[data-testid="targeted-usernames"]').textContent()).toBe('77')
    expect(await page.locator('[data-testid="probed-usernames"]').textContent()).toBe('91')
    const bar = page.locator('[data-testid="ip-timeline-chart"] .recharts-bar-rectangle').first()
    await bar.waitFor()
    await bar.hover()
    const tooltip = page.locator('[data-testid="ip-timeline-chart"] .recharts-tooltip-wrapper')
    await poll(() => tooltip.textContent()).toContain('Targeted usernames (rule codes) : 77')
    expect(await tooltip.textContent()).toContain('Names probed (rule codes + 50126/50057) : 91')
    await screenshot(page, 'ip-counts')

    await page.goto(browser.url(`/findings?dataset=${demo}&q=${spray.ipAddress}`))
    await page.locator('[data-testid="findings-table"] tbody td[data-column="uniqueUsernames"] a').first().click()
    await page.waitForURL(/\/findings\/\d+$/)
    await poll(() => page.locator('[data-testid="unique-usernames"]').textContent()).toBe('77')
    expect(await page.locator('[data-testid="probed-usernames"]').textContent()).toBe('91')
    expect(await page.locator('[data-testid="yield-sum"]').textContent()).toBe('23 confirmed + 68 not found')
  })

  it('a campaign is triaged like a finding: assigned, closed with its findings, reviewed; the list and a member IP show it', async () => {
    const page = browser.page('analyst')
    await page.goto(browser.url(`/campaigns?dataset=${synthetic}`))
    const row = page.locator('[data-testid="campaigns-table"] tbody tr').first()
    await poll(() => row.locator('td[data-column="status"]').textContent()).toBe('New')
    expect(await row.locator('td[data-column="owner"]').textContent()).toBe('unassigned')
    await row.locator('td[data-column="tier"] a').click()
    await page.waitForURL(/\/campaigns\/\d+$/)
    const campaignPath = new URL(page.url()).pathname

    const findings = page.locator('[data-testid="campaign-findings-table"] tbody tr')
    await poll(() => findings.count()).toBe(2)
    await page.locator('[data-testid="triage-panel"] button:text("Assign to me")').click()
    await poll(async () => (await page.locator('[data-testid="triage-panel"] .error-box').count()) ? await page.locator('[data-testid="triage-panel"] .error-box').textContent() : await page.locator('[data-testid="triage-owner"]').textContent())
      .toBe(TEST_USERS.analyst.email)
    await page.locator('[data-testid="triage-panel"] button:text("Close…")').click()
    const form = page.locator('[data-testid="triage-panel"] [data-testid="close-form"]')
    await form.locator('input[value="true_positive"]').check()
    await form.locator('input[name="reason"]').fill('One spray tool across a /24')
    expect(await form.locator('input[name="closeFindings"]').isChecked()).toBe(true)
    await form.locator('button[type="submit"]').click()
    await poll(() => page.locator('[data-testid="triage-status"]').textContent()).toBe('Closed')
    await poll(() => findings.locator('td[data-column="status"]').allTextContents()).toEqual(['Closed', 'Closed'])
    await page.locator('[data-testid="comments"] textarea').fill('Blocked at the proxy')
    await page.locator('[data-testid="comments"] button[type="submit"]').click()
    await poll(() => page.locator('[data-testid="comments"]').textContent()).toContain('Blocked at the proxy')
    await screenshot(page, 'campaign-triaged')

    const lead = browser.page('lead')
    await lead.goto(browser.url(campaignPath))
    await lead.locator('[data-testid="review-form"] button[type="submit"]').click()
    await poll(() => lead.locator('[data-testid="triage-review"]').textContent()).toContain(`Approved by ${TEST_USERS.lead.email}`)
    const actions = await lead.locator('[data-testid="audit-trail"] > ul > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-action')))
    expect(actions).toEqual(['triage.assign', 'triage.close', 'triage.comment', 'triage.review.approve'])

    await lead.goto(browser.url(`/campaigns?dataset=${synthetic}`))
    const listed = lead.locator('[data-testid="campaigns-table"] tbody tr').first()
    await poll(() => listed.locator('td[data-column="status"]').textContent()).toContain('Closed')
    expect(await listed.locator('td[data-column="owner"]').textContent()).toBe(TEST_USERS.analyst.email)

    await lead.goto(browser.url(`/ips/192.0.2.211?dataset=${synthetic}`))
    const named = lead.locator('[data-testid="ip-campaigns"] a')
    await poll(() => named.getAttribute('href')).toBe(campaignPath)
  })
})
