import { describe, expect, it } from 'vitest'
import { DEFAULT_SORT, findingsQueryToParams, parseFindingsQuery } from '@/lib/findings/findings-query'

describe('findings table state in the URL', () => {
  it('round-trips every filter, the sort, the page and its size', () => {
    const params = new URLSearchParams(
      'dataset=3&dataset=4&verdict=Moderate+Enumeration&app=Browser&from=2026-03-02T10%3A00%3A00.000Z&to=2026-03-03T00%3A00%3A00.000Z&q=alice&status=new&status=active&owner=me&review=pending&mode=extended&suppressed=only&escalated=only&sort=bucket.desc%2CipAddress.asc&page=3&size=100',
    )
    const query = parseFindingsQuery(params)
    expect(query).toEqual({
      datasetIds: [3, 4],
      verdicts: ['Moderate Enumeration'],
      clientApps: ['Browser'],
      from: new Date('2026-03-02T10:00:00Z'),
      to: new Date('2026-03-03T00:00:00Z'),
      search: 'alice',
      statuses: ['new', 'active'],
      owner: 'me',
      review: 'pending',
      mode: 'extended',
      suppressed: 'only',
      escalatedOnly: true,
      sort: [
        { id: 'bucket', desc: true },
        { id: 'ipAddress', desc: false },
      ],
      page: 3,
      pageSize: 100,
    })
    expect(parseFindingsQuery(findingsQueryToParams(query))).toEqual(query)
  })

  it('falls back to the defaults for anything malformed, and keeps default links short', () => {
    const query = parseFindingsQuery({ dataset: ['x', '-2'], verdict: 'Critical', from: 'yesterday', page: '-1', size: '7', sort: 'password.desc', q: '   ', status: 'done', owner: 'everyone', review: 'maybe', mode: 'rule', suppressed: 'all', escalated: 'yes' })
    expect(query).toEqual({ datasetIds: null, verdicts: null, clientApps: null, from: null, to: null, search: null, statuses: null, owner: null, review: null, mode: 'parity', suppressed: 'hide', escalatedOnly: false, sort: DEFAULT_SORT, page: 1, pageSize: 50 })
    expect(findingsQueryToParams(query).toString()).toBe('')
  })
})
