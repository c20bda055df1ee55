import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { axeViolations } from '../helpers/axe'
import { brokenPortalCsv } from '../helpers/broken-csv'
import { browserAvailable, screenshot, useBrowser } from '../helpers/browser'
import { sampleGraphSignIns } from '../helpers/fake-microsoft'
import { pageRequest as api } from '../helpers/page-api'

// What asks an analyst or a lead for a second look (issue 13), in real Chromium: an upload whose
// broken records are each counted once and whose status is not a clean green "imported"; and a
// suppression rule that would hide a Critical finding, which the lead must acknowledge and which
// the server refuses without that acknowledgement. Only this file's datasets are read or changed.

const SUFFIX = randomBytes(3).toString('hex')
const IMPORTS = `e2e-broken-${SUFFIX}`
const ESCALATED = `e2e-escalated-${SUFFIX}`
/** A source whose fifth probed name then proves its password right (50055) from the same address. */
const PROBER = '198.51.100.66'

function escalatedExport(): Buffer {
  const template = sampleGraphSignIns()[0]
  const at = (minute: number) => new Date(Date.UTC(2026, 1, 12, 7, minute)).toISOString()
  const signIn = (i: number, upn: string, code: number, minute: number) => ({
    ...template,
    id: `twice-${SUFFIX}-${i}`,
    correlationId: `twice-${SUFFIX}-${i}`,
    createdDateTime: at(minute),
    userPrincipalName: upn,
    ipAddress: PROBER,
    status: { errorCode: code, failureReason: code === 50055 ? 'The password is expired.' : 'The user account does not exist' },
  })
  const value = [...Array.from({ length: 12 }, (_, i) => signIn(i, `probe${i}@twice.example`, 50034, i)), signIn(12, 'probe4@twice.example', 50055, 30)]
  return Buffer.from(JSON.stringify({ value }))
}

describe.skipIf(!browserAvailable)('looking twice', () => {
  const browser = useBrowser('analyst', 'lead')
  const dir = mkdtempSync(path.join(os.tmpdir(), 'et-twice-'))

  it('a CSV of 12 records with 4 broken: read 12, inserted 8, rejected 4, and "succeeded with rejected rows" not in the clean green', async () => {
    const page = browser.page('analyst')
    const broken = path.join(dir, 'broken.csv')
    const clean = path.join(dir, 'clean.csv')
    writeFileSync(broken, brokenPortalCsv('203.0.113.231', `brk-${SUFFIX}`))
    // The same shape with nothing broken (other ids, another address), for the colour of a clean import.
    writeFileSync(clean, brokenPortalCsv('203.0.113.232', `ok-${SUFFIX}`).split('\r\n').filter((line, i) => ![4, 7, 10, 12].includes(i + 1)).join('\r\n'))
    await page.goto(browser.url('/upload'))
    await page.locator('input[name="dataset"]').fill(IMPORTS)
    await page.locator('[data-testid="file-input"]').setInputFiles([broken, clean])
    await page.locator('[data-testid="upload-button"]').click()
    const row = (file: string) => page.locator(`[data-testid="uploads-table"] [data-testid="upload-row"][data-file="${file}"]`)
    await expect.poll(() => row('broken.csv').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded')
    await expect.poll(() => row('clean.csv').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded')
    const cells = async (file: string) => (await row(file).locator('td').allTextContents()).map((t) => t.trim())
    // Read, inserted, duplicate, rejected: each broken record once, however many faults it has.
    expect((await cells('broken.csv')).slice(3, 7)).toEqual(['12', '8', '0', '4'])
    expect((await cells('clean.csv')).slice(3, 7)).toEqual(['8', '8', '0', '0'])

    const badge = (file: string) => row(file).locator('[data-testid="import-status"]')
    expect(await badge('broken.csv').textContent()).toBe('succeeded with rejected rows')
    expect(await badge('broken.csv').getAttribute('data-status')).toBe('succeeded-with-rejections')
    expect(await badge('clean.csv').textContent()).toBe('imported')
    const colour = (file: string) => badge(file).evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(await colour('broken.csv')).not.toBe(await colour('clean.csv'))

    // Which records, and why: the lines of the four broken ones.
    await row('broken.csv').locator('details summary').click()
    expect(await row('broken.csv').locator('details summary').textContent()).toBe('4 rejected rows')
    const reasons = await row('broken.csv').locator('details li').allTextContents()
    expect(reasons.map((r) => r.split(':')[0])).toEqual(['line 4', 'line 7', 'line 10', 'line 12'])
    expect(reasons.join('\n')).toMatch(/malformed CSV/)
    expect(await axeViolations(page)).toEqual([])
    await screenshot(page, 'upload-rejected-rows')

    // The dataset's own page says the same.
    const datasets = await api<{ datasets: { id: number; name: string }[] }>(page, '/api/datasets')
    const id = datasets.body.datasets.find((d) => d.name === IMPORTS)!.id
    await page.goto(browser.url(`/datasets/${id}`))
    const imported = page.locator('[data-testid="import-status"][data-status="succeeded-with-rejections"]')
    await expect.poll(() => imported.count()).toBe(1)
    expect(await imported.textContent()).toBe('succeeded with rejected rows')
  })

  describe('a rule that would hide a Critical finding', () => {
    let datasetId = 0

    beforeAll(async () => {
      if (!browserAvailable) return
      const page = browser.page('analyst')
      await page.goto(browser.url('/'))
      const content = escalatedExport()
      const started = await page.request.post(browser.url('/api/uploads'), { data: { dataset: ESCALATED, fileName: 'escalated.json', size: content.length } })
      const { jobId } = (await started.json()) as { jobId: number }
      const put = await page.request.put(browser.url(`/api/uploads/${jobId}`), { headers: { 'upload-offset': '0', 'content-type': 'application/octet-stream' }, data: content })
      expect(put.status()).toBe(200)
      // expect.poll belongs to tests; a hook waits by hand.
      const until = async (done: () => Promise<boolean>, what: string) => {
        for (let i = 0; !(await done()); i++) {
          if (i > 120) throw new Error(`gave up waiting: ${what}`)
          await new Promise((resolve) => setTimeout(resolve, 500))
        }
      }
      const job = async () => (await (await page.request.get(browser.url(`/api/uploads/${jobId}`))).json()) as { status: string; datasetId: number }
      await until(async () => (await job()).status === 'succeeded', 'the import')
      datasetId = (await job()).datasetId
      // The finding is escalated once the import's findings are up to date.
      await until(async () => (await api<{ rows: unknown[] }>(page, `/api/findings?dataset=${datasetId}&escalated=only`)).body.rows.length === 1, 'the escalated finding')
    })

    it('is refused by the server unless the lead says so, with nothing saved', async () => {
      const page = browser.page('lead')
      await page.goto(browser.url(`/tuning?dataset=${datasetId}`))
      const rule = { name: `Scanner ${SUFFIX}`, cidr: `${PROBER}/32`, reason: 'our scanner?', datasetId }
      const refused = await api<{ error: string }>(page, '/api/suppressions', { method: 'POST', body: rule })
      expect(refused.status).toBe(409)
      expect(refused.body.error).toMatch(/would hide 1 Critical finding/)
      const rules = await api<{ rules: { name: string }[] }>(page, `/api/suppressions?dataset=${datasetId}`)
      expect(rules.body.rules.map((r) => r.name)).not.toContain(rule.name)
      const shown = await api<{ total: number }>(page, `/api/findings?dataset=${datasetId}`)
      expect(shown.body.total).toBe(1)
    })

    it('saves from the form once the lead ticks the warning, and the finding moves under the filter', async () => {
      const page = browser.page('lead')
      await page.goto(browser.url(`/tuning?dataset=${datasetId}`))
      await page.locator('button:text("New rule")').click()
      const form = page.locator('[data-testid="suppression-form"]')
      await form.locator('input[name="name"]').fill(`Scanner ${SUFFIX}`)
      await form.locator('input[name="cidr"]').fill(`${PROBER}/32`)
      await form.locator('input[name="reason"]').fill('lab scanner, checked with the owner of probe4')
      await form.locator('button[type="submit"]').click()
      const warning = form.locator('[data-testid="suppression-critical-warning"]')
      await warning.waitFor()
      expect(await form.locator('[data-testid="suppression-preview-total"]').textContent()).toBe('1')
      expect(await form.locator('[data-testid="suppression-preview"] tr[data-critical="true"]').count()).toBe(1)
      expect(await axeViolations(page)).toEqual([])
      // Without the tick the form holds the rule back.
      await form.locator('button[type="submit"]').click()
      expect(await form.locator('[data-testid="suppression-preview-error"]').textContent()).toContain('Critical')
      await warning.locator('input[type="checkbox"]').check()
      await form.locator('button[type="submit"]').click()
      const saved = page.locator(`[data-testid="suppression-list"] tr[data-rule="Scanner ${SUFFIX}"]`)
      await expect.poll(() => saved.locator('td.num').textContent()).toBe('1')
      await screenshot(page, 'tuning-critical-acknowledged')

      expect((await api<{ total: number }>(page, `/api/findings?dataset=${datasetId}`)).body.total).toBe(0)
      expect((await api<{ total: number }>(page, `/api/findings?dataset=${datasetId}&suppressed=only`)).body.total).toBe(1)

      // Undone, so no other test meets it.
      await saved.locator('button:text("Delete")').click()
      await page.locator('[data-testid="delete-suppression-dialog"] button:text("Delete rule")').click()
      await expect.poll(() => saved.count()).toBe(0)
      expect((await api<{ total: number }>(page, `/api/findings?dataset=${datasetId}`)).body.total).toBe(1)
    })
  })

  it('raised no errors in the browser', () => {
    // The refused POST is answered 409 on purpose; the browser logs any failed fetch as an error.
    expect(browser.errors.filter((e) => !/409/.test(e))).toEqual([])
  })
})
