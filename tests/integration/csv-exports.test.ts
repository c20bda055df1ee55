import { beforeAll, describe, expect, it } from 'vitest'
import { campaignConfirmedAccounts, campaignConfirmedAccountsCsv } from '@/lib/campaigns/confirmed-accounts'
import { listCampaigns } from '@/lib/campaigns/list-campaigns'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { exportFindings, findingsCsv } from '@/lib/findings/export-findings'
import { getFinding, getFindingUsernames } from '@/lib/findings/finding-details'
import { parseFindingsQuery } from '@/lib/findings/findings-query'
import { findingUsernamesCsv } from '@/lib/findings/usernames-csv'
import { confirmedAccounts, confirmedAccountsCsv, ipConfirmedAccounts } from '@/lib/remediation/confirmed-accounts'
import { HOSTILE_CELLS, expectSpreadsheetSafe } from '../helpers/hostile-csv'
import { ingestContent } from '../helpers/ingest'
import { useTestDatabase } from '../helpers/test-database'

// Every CSV the app exports, filled from the database with attacker-chosen usernames, user
// agents and app names (line feeds followed by formulas included), read back with a real parser.
useTestDatabase()

const IPS = ['203.0.113.40', '203.0.113.41']
const userAgent = "python-requests/2.31\n=cmd|' /C calc'!A0"
let datasetId = 0

beforeAll(async () => {
  datasetId = (await findOrCreateDataset('hostile-csv')).id
  const start = Date.parse('2026-03-02T10:05:00Z')
  const lines: string[] = []
  let n = 0
  for (const ip of IPS) {
    HOSTILE_CELLS.forEach((cell, i) => {
      const upn = `${cell}-${i}@contoso.com`
      // A miss, then a wrong password: each account is probed and confirmed to exist.
      for (const code of ['50034', '50126']) {
        lines.push(
          JSON.stringify({ '@timestamp': start + n++ * 1000, id: `h-${n}`, resultType: code, ipAddress: ip, userPrincipalName: upn, clientAppUsed: '\n=1+1 Browser', userAgent, appDisplayName: '@app\n+x' }),
        )
      }
    })
  }
  const report = await ingestContent('hostile-csv', 'hostile.ndjson', lines.join('\n'))
  expect(report.rowsInserted).toBe(lines.length)
})

describe('CSV exports of hostile log values', () => {
  it('the findings export', async () => {
    const { rows } = await exportFindings(parseFindingsQuery(new URLSearchParams({ dataset: String(datasetId) })), 0)
    expect(rows.length).toBeGreaterThanOrEqual(IPS.length)
    const records = expectSpreadsheetSafe(findingsCsv(rows))
    expect(records).toHaveLength(rows.length)
    expect(records.every((r) => r.includes(`'${userAgent}`) === false && r.some((cell) => cell === userAgent))).toBe(true)
  })

  it("a finding's usernames and its remediation list, the address's and the dataset's", async () => {
    const { rows } = await exportFindings(parseFindingsQuery(new URLSearchParams({ dataset: String(datasetId) })), 0)
    for (const row of rows) {
      const finding = (await getFinding(row.id))!
      const usernames = await getFindingUsernames(row.id)
      expect(expectSpreadsheetSafe(findingUsernamesCsv(finding, usernames))).toHaveLength(HOSTILE_CELLS.length)
      const accounts = await confirmedAccounts({ findingId: row.id })
      expect(accounts.length).toBe(HOSTILE_CELLS.length)
      const records = expectSpreadsheetSafe(confirmedAccountsCsv(accounts))
      expect(records).toHaveLength(accounts.length)
      // The username cells hold the whole hostile value, line breaks included.
      expect(records.map((r) => r[0]).sort()).toEqual(accounts.map((a) => a.userPrincipalName).map((u) => (/^[\s]*[=+\-@＝]|^[\t\r\n]/.test(u) ? `'${u}` : u)).sort())
    }
    for (const ip of IPS) expect(expectSpreadsheetSafe(confirmedAccountsCsv(await ipConfirmedAccounts(ip, [datasetId])))).toHaveLength(HOSTILE_CELLS.length)
    expect(expectSpreadsheetSafe(confirmedAccountsCsv(await confirmedAccounts({ datasetId })))).toHaveLength(HOSTILE_CELLS.length)
  })

  it("a campaign's remediation list", async () => {
    const campaigns = await listCampaigns([datasetId])
    expect(campaigns.length).toBeGreaterThan(0)
    for (const campaign of campaigns) {
      const accounts = await campaignConfirmedAccounts(campaign.id)
      expect(accounts.length).toBeGreaterThan(0)
      expect(expectSpreadsheetSafe(campaignConfirmedAccountsCsv(accounts))).toHaveLength(accounts.length)
    }
  })
})
