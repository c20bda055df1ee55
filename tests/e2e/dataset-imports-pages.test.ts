import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { browserAvailable, useBrowser } from '../helpers/browser'
import { cliIngest } from '../helpers/cli-ingest'

// A month of hourly files is hundreds of imports: the dataset page lists them 25 at a time,
// newest first, and the datasets page the latest five with the count of the rest.

const FILES = 27

describe.skipIf(!browserAvailable)("a dataset's imports, a page at a time", () => {
  const browser = useBrowser('lead')
  let datasetId = 0

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'imports-pages-'))
    const files = Array.from({ length: FILES }, (_, f) => {
      const file = path.join(dir, `hour-${String(f).padStart(2, '0')}.ndjson`)
      const at = Date.parse('2026-03-10T00:00:00Z') + f * 3_600_000
      writeFileSync(file, JSON.stringify({ '@timestamp': at, id: `paged-${f}`, resultType: '0', ipAddress: '198.51.100.20', userPrincipalName: 'ann@contoso.com', clientAppUsed: 'Browser' }) + '\n')
      return file
    })
    const reports = await cliIngest(inject('appDatabaseUrl'), 'paged imports', files)
    expect(reports.map((r) => r.inserted)).toEqual(Array(FILES).fill(1))
    const datasets = (await browser.page().evaluate(async () => (await fetch('/api/datasets')).json())) as { datasets: { id: number; name: string }[] }
    datasetId = datasets.datasets.find((d) => d.name === 'paged imports')!.id
  })

  afterAll(async () => {
    // Leaves the demo-only database the other browser tests expect.
    const status = await browser.page().evaluate(async (id) => (await fetch(`/api/datasets/${id}`, { method: 'DELETE' })).status, datasetId)
    expect(status).toBe(200)
  })

  it('shows 25 imports, newest first, and the older ones on the next page', async () => {
    const page = browser.page()
    await page.goto(browser.url(`/datasets/${datasetId}`))
    const rows = page.locator('[data-testid="imports-table"] tbody tr')
    await rows.first().waitFor()
    expect(await page.locator('h2', { hasText: 'Imports (' }).textContent()).toBe(`Imports (${FILES})`)
    expect(await rows.count()).toBe(25)
    expect(await rows.first().locator('td').first().textContent()).toBe(`hour-${FILES - 1}.ndjson`)
    const pager = page.getByRole('navigation', { name: 'Pages of imports' })
    expect(await pager.textContent()).toContain(`1–25 of ${FILES}`)

    await pager.getByRole('link', { name: 'Older imports' }).click()
    await page.waitForURL(/\?imports=2$/)
    await page.getByRole('navigation', { name: 'Pages of imports' }).getByText(`26–${FILES} of ${FILES}`).waitFor()
    expect(await rows.allTextContents()).toHaveLength(FILES - 25)
    expect(await rows.last().locator('td').first().textContent()).toBe('hour-00.ndjson')
    // A page past the last shows the last.
    await page.goto(browser.url(`/datasets/${datasetId}?imports=9`))
    await page.getByRole('navigation', { name: 'Pages of imports' }).getByText(`26–${FILES} of ${FILES}`).waitFor()
  })

  it('lists the latest five on the datasets page, with the count of the earlier ones', async () => {
    const page = browser.page()
    await page.goto(browser.url('/datasets'))
    const dataset = page.locator('[data-testid="dataset"][data-dataset="paged imports"]')
    await dataset.waitFor()
    expect(await dataset.locator('[data-testid="imports-table"] tbody tr').count()).toBe(5)
    expect(await dataset.textContent()).toContain(`and ${FILES - 5} earlier imports`)
  })
})
