import { describe, expect, it } from 'vitest'
import { findingsQueryProblems, parseFindingsQuery } from '@/lib/findings/findings-query'
import { commonQueryProblem, jsonTextProblem, parseDate, parseId } from '@/lib/http/edge-input'

// What people type at the edge, before it can reach PostgreSQL as a 500.
describe('edge input', () => {
  it('ids fit PostgreSQL integer', () => {
    expect(parseId('2147483647')).toBe(2147483647)
    for (const bad of ['2147483648', '0', '-1', '1.5', '1e3', ' 1', '99999999999', '']) expect(parseId(bad), bad).toBeNull()
  })

  it('dates are ISO 8601 in the years 0001 to 9999, without calendar overflow', () => {
    expect(parseDate('2026-03-02')?.toISOString()).toBe('2026-03-02T00:00:00.000Z')
    expect(parseDate('2026-03-02T10:00')?.toISOString()).toBe('2026-03-02T10:00:00.000Z')
    expect(parseDate('2026-03-02T10:00:00.000Z')?.toISOString()).toBe('2026-03-02T10:00:00.000Z')
    expect(parseDate('2026-03-02T10:00:00+02:00')?.toISOString()).toBe('2026-03-02T08:00:00.000Z')
    expect(parseDate('2024-02-29')).not.toBeNull()
    for (const bad of ['0000-01-01', '2026-02-31', '2025-02-29', '2026-13-01', 'yesterday', '20260302', '2026-03-02T25:00', '+012026-01-01']) expect(parseDate(bad), bad).toBeNull()
  })

  it('finds NUL in any string or key of a JSON body, and in query parameters', () => {
    expect(jsonTextProblem({ name: 'a\u0000b' })).toBe('body.name may not contain a NUL character')
    expect(jsonTextProblem({ list: [{ x: 'ok' }, 'b\u0000'] })).toBe('body.list[1] may not contain a NUL character')
    expect(jsonTextProblem({ 'k\u0000': 1 })).toMatch(/key/)
    expect(jsonTextProblem({ fine: ['text', 1, null, true] })).toBeNull()
    expect(commonQueryProblem(new URLSearchParams('q=a%00b'))).toMatch(/NUL/)
    expect(commonQueryProblem(new URLSearchParams('dataset=2147483648'))).toMatch(/^dataset must be a dataset id/)
    expect(commonQueryProblem(new URLSearchParams('from=0000-01-01'))).toMatch(/^from must be an ISO 8601 date/)
    expect(commonQueryProblem(new URLSearchParams('dataset=3&from=2026-03-01&to=&q=alice'))).toBeNull()
  })

  it('the findings API names every invalid parameter; the page falls back to the defaults', () => {
    const params = new URLSearchParams('status=bogus&sort=password.desc&size=7&page=0&verdict=Critical&owner=everyone&mode=rule')
    const problems = findingsQueryProblems(params)
    expect(problems).toHaveLength(7)
    expect(problems.join('; ')).toMatch(/status must be one of new, .*not "bogus"/)
    expect(problems.join('; ')).toMatch(/size must be one of 25, 50, 100, 250, not "7"/)
    expect(findingsQueryProblems(new URLSearchParams('sort=bucket.desc,ipAddress&size=100&page=2&status=new&q=alice'))).toEqual([])
    const query = parseFindingsQuery(new URLSearchParams('dataset=2147483648&q=a%00b&from=0000-01-01&app=x%00'))
    expect([query.datasetIds, query.search, query.from, query.clientApps]).toEqual([null, null, null, null])
  })
})
