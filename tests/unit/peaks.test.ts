import { describe, expect, it } from 'vitest'
import { peaks } from '@/lib/derive/window-findings'

type Window = Parameters<typeof peaks>[0][number]

const HOUR = 3_600_000
const at = (ip: string, hour: number, names: number, ua = 'x'): Window => ({
  ip_address: ip,
  client_app_used: 'Browser',
  user_agent: ua,
  window_start: new Date(Date.UTC(2026, 2, 2) + hour * HOUR),
  unique_usernames: names,
})

/** The definition: strongest first (earliest on ties), kept when it overlaps none kept before. */
function reference(windows: Window[], windowMs: number): Window[] {
  const ranked = [...windows].sort((a, b) => b.unique_usernames - a.unique_usernames || a.window_start.getTime() - b.window_start.getTime())
  const taken: Window[] = []
  for (const w of ranked) {
    const sameSource = taken.filter((t) => t.ip_address === w.ip_address && t.client_app_used === w.client_app_used && t.user_agent === w.user_agent)
    const s = w.window_start.getTime()
    if (sameSource.every((t) => s + windowMs <= t.window_start.getTime() || t.window_start.getTime() + windowMs <= s)) taken.push(w)
  }
  return taken.sort((a, b) => a.window_start.getTime() - b.window_start.getTime())
}

describe('peaks', () => {
  it('keeps the strongest window and the ones that do not overlap it, per source', () => {
    const windows = [at('a', 0, 30), at('a', 1, 40), at('a', 2, 35), at('a', 3, 20), at('b', 1, 12)]
    // a: 40 at 01:00 (2 h windows) rules out 00:00 and 02:00; 03:00 starts as it ends.
    expect(peaks(windows, 2 * HOUR).map((w) => [w.ip_address, w.window_start.getUTCHours(), w.unique_usernames])).toEqual([
      ['a', 1, 40],
      ['b', 1, 12],
      ['a', 3, 20],
    ])
  })

  it('picks the earliest of equally strong overlapping windows', () => {
    expect(peaks([at('a', 2, 10), at('a', 1, 10)], 2 * HOUR).map((w) => w.window_start.getUTCHours())).toEqual([1])
  })

  it('matches the definition on random windows', () => {
    let seed = 7
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)
    for (let round = 0; round < 200; round++) {
      const windows = Array.from({ length: 1 + Math.floor(random() * 60) }, () =>
        at(random() < 0.5 ? 'a' : 'b', Math.floor(random() * 48), 10 + Math.floor(random() * 8), random() < 0.3 ? 'y' : 'x'),
      )
      const length = (1 + Math.floor(random() * 5)) * HOUR
      // Windows starting together from different sources may come in either order.
      const canonical = (list: Window[]) => list.map((w) => `${w.window_start.toISOString()} ${w.ip_address} ${w.user_agent} ${w.unique_usernames}`).sort()
      expect(canonical(peaks(windows, length))).toEqual(canonical(reference(windows, length)))
    }
  })
})
