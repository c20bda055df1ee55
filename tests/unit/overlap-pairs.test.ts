import { describe, expect, it } from 'vitest'
import { SharedNames, type OverlapRules, type OverlapSource } from '@/lib/campaigns/overlap-pairs'
import { Random } from '../../scripts/bench/prng'

const HOUR = 3_600_000_000
const RULES: OverlapRules = { gap: 24 * HOUR, minShared: 5, minFraction: 0.5, neighbours: 25 }

/**
 * The rule as the SQL window it replaced computed it: each source's next `neighbours` sources of
 * each username (sorted by first failure, then id), those starting within the gap after its end
 * counted per pair, every pair of the frame compared (no early stop).
 */
function reference(sources: Map<number, OverlapSource>, names: number[][], rules: OverlapRules): string[] {
  const counts = new Map<string, number>()
  for (const tried of names) {
    const ordered = [...tried].sort((x, y) => sources.get(x)!.first - sources.get(y)!.first || x - y)
    ordered.forEach((a, i) => {
      for (const b of ordered.slice(i + 1, i + 1 + rules.neighbours)) {
        if (sources.get(b)!.first <= sources.get(a)!.last + rules.gap) counts.set(`${a}-${b}`, (counts.get(`${a}-${b}`) ?? 0) + 1)
      }
    })
  }
  const linked: string[] = []
  for (const [pair, shared] of counts) {
    const [a, b] = pair.split('-').map(Number).map((id) => sources.get(id)!)
    if (shared < rules.minShared) continue
    if (Math.max(a.first, b.first) - Math.min(a.last, b.last) > rules.gap) continue
    if (shared < rules.minFraction * Math.min(a.usernames, b.usernames)) continue
    linked.push(pair)
  }
  return linked.sort()
}

function linked(sources: Map<number, OverlapSource>, names: number[][], rules = RULES): string[] {
  const shared = new SharedNames(sources, rules)
  // In any order: SharedNames puts each username's sources in time order itself.
  for (const tried of names) shared.addUsername([...tried].reverse())
  return shared
    .pairs()
    .map(([a, b]) => `${a}-${b}`)
    .sort()
}

describe('overlapping target lists', () => {
  it('links two sources sharing half of the smaller list within the gap, and not beyond it', () => {
    const sources = new Map<number, OverlapSource>([
      [1, { first: 0, last: 2 * HOUR, usernames: 10 }],
      [2, { first: 2 * HOUR + 24 * HOUR, last: 30 * HOUR, usernames: 8 }], // starts exactly one gap after 1 ended
      [3, { first: 2 * HOUR + 24 * HOUR + 1, last: 40 * HOUR, usernames: 8 }], // one microsecond later
    ])
    const names = Array.from({ length: 5 }, () => [1, 2, 3])
    expect(linked(sources, names)).toEqual(['1-2', '2-3'])
    expect(reference(sources, names, RULES)).toEqual(['1-2', '2-3'])
  })

  it('needs the shared names to reach both the minimum and half of the smaller list', () => {
    const sources = new Map<number, OverlapSource>([
      [1, { first: 0, last: HOUR, usernames: 12 }],
      [2, { first: HOUR, last: 2 * HOUR, usernames: 11 }],
    ])
    expect(linked(sources, Array.from({ length: 5 }, () => [1, 2]))).toEqual([]) // 5 of 11: under half
    expect(linked(sources, Array.from({ length: 6 }, () => [1, 2]))).toEqual(['1-2'])
    expect(linked(new Map([...sources].map(([id, s]) => [id, { ...s, usernames: 4 }])), Array.from({ length: 4 }, () => [1, 2]))).toEqual([]) // all of them, but 4 < 5
  })

  it('meets only the next `neighbours` sources of a name', () => {
    // 30 sources try the same 6 names at once: each meets the 25 after it, so 1 and 27 never meet.
    const sources = new Map<number, OverlapSource>(Array.from({ length: 30 }, (_, i) => [i + 1, { first: i, last: 10 * HOUR, usernames: 6 }]))
    const names = Array.from({ length: 6 }, () => Array.from({ length: 30 }, (_, i) => i + 1))
    const pairs = linked(sources, names)
    expect(pairs).toContain('1-26')
    expect(pairs).not.toContain('1-27')
    expect(pairs).toEqual(reference(sources, names, RULES))
  })

  it('gives the pairs the SQL window gave, on random sprays', () => {
    let pairs = 0
    for (let seed = 1; seed <= 40; seed++) {
      const random = new Random(seed)
      const sources = new Map<number, OverlapSource>()
      const count = random.int(2, 60)
      for (let id = 1; id <= count; id++) {
        const first = random.int(0, 30 * 24) * HOUR + random.int(0, 3) // ties and near-ties in time
        sources.set(id, { first, last: first + random.int(0, 72) * HOUR, usernames: random.int(3, 40) })
      }
      const names = Array.from({ length: random.int(1, 80) }, () => [...sources.keys()].filter(() => random.next() < 0.4))
      const rules = { ...RULES, gap: random.int(1, 48) * HOUR, minShared: random.int(1, 6), neighbours: random.int(1, 30) }
      const expected = reference(sources, names, rules)
      expect(linked(sources, names, rules), `seed ${seed}`).toEqual(expected)
      pairs += expected.length
    }
    // The sprays do link sources (an empty answer on both sides would prove nothing).
    expect(pairs).toBeGreaterThan(100)
  })

  it('refuses a list naming a source it was not given', () => {
    const shared = new SharedNames(new Map([[1, { first: 0, last: 0, usernames: 1 }]]), RULES)
    expect(() => shared.addUsername([1, 2])).toThrow(/campaign source 2/)
  })
})
