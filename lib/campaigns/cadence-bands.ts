/**
 * Bands of alike cadences within one network or AS. A band starts at its smallest cadence and
 * takes every cadence up to `ratio` times that one, so its width is bounded: a ladder of sources
 * each 10 % slower than the last (60 s, 66 s, 72.6 s …) makes several bands, not one chain from
 * a minute to five. Nearly equal cadences (60.2 s and 60.3 s) share a band unless a band happens
 * to end between them, which takes a source at the band's start 10 % below.
 */
export interface CadenceSource {
  id: number
  /** The network or AS the source is banded in. */
  group: string
  cadenceSeconds: number
}

/** Band numbers by source id, unique across groups. */
export function cadenceBands(sources: readonly CadenceSource[], ratio: number): Map<number, number> {
  const byGroup = new Map<string, CadenceSource[]>()
  for (const s of sources) {
    const list = byGroup.get(s.group)
    if (list) list.push(s)
    else byGroup.set(s.group, [s])
  }
  const bands = new Map<number, number>()
  let band = 0
  for (const list of byGroup.values()) {
    list.sort((a, b) => a.cadenceSeconds - b.cadenceSeconds || a.id - b.id)
    let start = Number.NaN
    for (const s of list) {
      if (!(s.cadenceSeconds <= start * ratio)) {
        band++
        start = s.cadenceSeconds
      }
      bands.set(s.id, band)
    }
  }
  return bands
}
