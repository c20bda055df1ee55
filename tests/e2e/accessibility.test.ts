import { beforeAll, describe, expect, it } from 'vitest'
import { axeViolations } from '../helpers/axe'
import { browserAvailable, type TestRole, useBrowser } from '../helpers/browser'

// Every page of the dashboard, as each role that uses it, checked by axe-core in real Chromium;
// then the keyboard: the skip link reaches the first finding in a few presses, focus lands on
// the heading after a navigation, and the not-allowed page speaks English.

describe.skipIf(!browserAvailable)('accessibility', () => {
  const browser = useBrowser('viewer', 'analyst', 'lead', 'admin')
  const pages: Record<TestRole, string[]> = { viewer: [], analyst: [], lead: [], admin: [] }

  beforeAll(async () => {
    if (!browserAvailable) return
    const page = browser.page('admin')
    await page.goto(browser.url('/'))
    const found = await page.evaluate(async () => {
      const datasets = ((await (await fetch('/api/datasets')).json()) as { datasets: { id: number; name: string }[] }).datasets
      const demo = datasets.find((d) => d.name === 'demo')!.id
      const findings = ((await (await fetch(`/api/findings?dataset=${demo}`)).json()) as { rows: { id: number; ipAddress: string }[] }).rows
      const campaigns = ((await (await fetch(`/api/campaigns?dataset=${demo}`)).json()) as { campaigns?: { id: number }[]; rows?: { id: number }[] }) ?? {}
      const campaign = (campaigns.campaigns ?? campaigns.rows ?? [])[0]?.id ?? null
      return { demo, finding: findings[0].id, ip: findings[0].ipAddress, campaign }
    })
    const common = [
      '/',
      `/?dataset=${found.demo}`,
      '/findings',
      `/findings/${found.finding}`,
      `/ips/${encodeURIComponent(found.ip)}?dataset=${found.demo}`,
      '/campaigns',
      ...(found.campaign ? [`/campaigns/${found.campaign}`] : []),
      '/datasets',
      `/datasets/${found.demo}`,
      `/tuning?dataset=${found.demo}`,
      '/account',
    ]
    pages.viewer = [...common, '/forbidden?need=analyst']
    pages.analyst = [...common, '/upload', '/forbidden?need=admin']
    pages.lead = [...common, '/review', '/upload']
    pages.admin = [...common, '/review', '/upload', '/connectors', '/admin/users']
  })

  // One test per role, each page reported apart: the whole report says every page that fails and why.
  for (const role of ['viewer', 'analyst', 'lead', 'admin'] as const) {
    it(`axe finds nothing on the pages ${role === 'viewer' ? 'a viewer' : role === 'lead' ? 'a lead' : `an ${role}`} uses`, { timeout: 300_000 }, async () => {
      const page = browser.page(role)
      const report: Record<string, unknown> = {}
      for (const path of pages[role]) {
        await page.goto(browser.url(path))
        await page.locator('main').waitFor()
        // Charts and client tables settle after the first paint.
        await page.waitForTimeout(500)
        const violations = await axeViolations(page)
        if (violations.length) report[path] = violations
      }
      expect(report).toEqual({})
    })
  }

  it('the skip link reaches the first finding in a few Tab presses', async () => {
    const page = browser.page('viewer')
    await page.goto(browser.url('/findings'))
    await page.locator('[data-testid="findings-table"] tbody tr').first().waitFor()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the findings table')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    const inFirstRow = await page.evaluate(() => Boolean(document.activeElement?.closest('#first-finding')))
    expect(inFirstRow).toBe(true)
  })

  it('after moving to another page, focus is on its heading', async () => {
    const page = browser.page('viewer')
    await page.goto(browser.url('/'))
    await page.locator('nav[aria-label="Main"] a:text("Findings")').click()
    await page.waitForURL(/\/findings/)
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Findings')
  })

  it('a viewer sees no "My findings" view; the not-allowed pages use "an analyst", "an admin"', async () => {
    const viewer = browser.page('viewer')
    await viewer.goto(browser.url('/findings'))
    await viewer.locator('nav[aria-label="Views"]').waitFor()
    expect(await viewer.locator('nav[aria-label="Views"]').textContent()).not.toContain('My findings')
    expect(await viewer.locator('select[name="owner"] option[value="me"]').count()).toBe(0)
    await viewer.goto(browser.url('/upload'))
    await viewer.waitForURL(/forbidden/)
    const text = await viewer.locator('main').textContent()
    expect(text).toContain('an analyst')
    expect(text).not.toMatch(/\ba analyst\b|\ba admin\b/)
    const analyst = browser.page('analyst')
    await analyst.goto(browser.url('/admin/users'))
    await analyst.waitForURL(/forbidden/)
    expect(await analyst.locator('main').textContent()).toContain('an admin')
    expect(await analyst.locator('nav[aria-label="Views"]').count()).toBe(0)
    await analyst.goto(browser.url('/findings'))
    expect(await analyst.locator('nav[aria-label="Views"]').textContent()).toContain('My findings')
  })
})
