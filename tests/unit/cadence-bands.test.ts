import { describe, expect, it } from 'vitest'
import { cadenceBands } from '@/lib/campaigns/cadence-bands'

const bandsOf = (cadences: number[], group = 'net') => {
  const bands = cadenceBands(
    cadences.map((cadenceSeconds, id) => ({ id, group, cadenceSeconds })),
    1.1,
  )
  return cadences.map((_, id) => bands.get(id))
}

describe('cadence bands', () => {
  it('keeps nearly equal cadences together, whatever their order', () => {
    const [a, b] = bandsOf([60.3, 60.2])
    expect(a).toBe(b)
  })

  it('bounds a band to 10 % above its fastest: a ladder of 10 % steps is not one chain', () => {
    // 60, 66, 72.6, 79.9 …: each within 10 % of the one before.
    const ladder = Array.from({ length: 17 }, (_, i) => 60 * 1.1 ** i)
    const bands = bandsOf(ladder)
    expect(new Set(bands).size).toBeGreaterThanOrEqual(8)
    for (let i = 0; i < ladder.length; i++) {
      for (let j = 0; j < ladder.length; j++) {
        if (bands[i] === bands[j]) expect(Math.max(ladder[i], ladder[j]) / Math.min(ladder[i], ladder[j])).toBeLessThanOrEqual(1.1 + 1e-9)
      }
    }
  })

  it('bands each network apart, with numbers unique across them', () => {
    const bands = cadenceBands(
      [
        { id: 1, group: 'a', cadenceSeconds: 30 },
        { id: 2, group: 'b', cadenceSeconds: 30 },
        { id: 3, group: 'a', cadenceSeconds: 31 },
      ],
      1.1,
    )
    expect(bands.get(1)).toBe(bands.get(3))
    expect(bands.get(2)).not.toBe(bands.get(1))
  })
})
