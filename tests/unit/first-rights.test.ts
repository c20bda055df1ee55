import { describe, expect, it } from 'vitest'
import { FirstRights } from '@/lib/ingest/first-rights'
import type { RollupCell } from '@/lib/ingest/hourly-rollup'

const cell = (ip: string, upn: string, code: string, first: string): RollupCell => {
  const at = Date.parse(first)
  return { bucket: at - (at % 3_600_000), ip, clientApp: 'Browser', userAgent: 'Mozilla/5.0', upn, code, attempts: 1, first: at, last: at, apps: [] }
}

describe('the import\'s first "password right" times', () => {
  it('keeps the earliest time of each address and name with a "password right" code, whatever order the cells come in', () => {
    const rights = new FirstRights()
    rights.add([
      cell('198.51.100.7', 'ann@contoso.com', '0', '2026-03-05T10:20:00Z'),
      cell('198.51.100.7', 'ann@contoso.com', '50126', '2026-03-05T08:00:00Z'), // a failure: not a "password right"
      cell('198.51.100.7', 'bob@contoso.com', '50034', '2026-03-05T08:00:00Z'),
      cell('2001:db8::12', 'ann@contoso.com', '500121', '2026-03-05T11:00:00Z'),
    ])
    rights.add([cell('198.51.100.7', 'ann@contoso.com', '50074', '2026-03-05T09:40:00.123Z'), cell('198.51.100.7', 'ann@contoso.com', '0', '2026-03-05T12:00:00Z')])
    expect(rights.size).toBe(2)
    expect(rights.take().sort()).toEqual(['198.51.100.7\tann@contoso.com\t2026-03-05T09:40:00.123Z\n', '2001:db8::12\tann@contoso.com\t2026-03-05T11:00:00.000Z\n'])
    // Taken: nothing is held any more.
    expect(rights.size).toBe(0)
    expect(rights.take()).toEqual([])
  })

  it("escapes a name as COPY's text format needs, and says when it holds enough to be sent", () => {
    const rights = new FirstRights()
    expect(rights.add([cell('198.51.100.7', 'odd\tname\\with\nbreaks', '0', '2026-03-05T10:00:00Z')])).toBe(false)
    expect(rights.take()).toEqual(['198.51.100.7\todd\\tname\\\\with\\nbreaks\t2026-03-05T10:00:00.000Z\n'])
    const many = Array.from({ length: 50_000 }, (_, i) => cell('198.51.100.7', `user${i}@contoso.com`, '0', '2026-03-05T10:00:00Z'))
    expect(rights.add(many.slice(0, 49_999))).toBe(false)
    expect(rights.add(many.slice(49_999))).toBe(true)
  })
})
