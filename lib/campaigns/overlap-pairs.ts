/**
 * The "overlapping target lists" rule of the campaign linking (refresh-campaigns.ts): two sources
 * are one actor when they tried at least `minShared` usernames in common, making up at least
 * `minFraction` of the smaller list, and were active within the gap of each other.
 *
 * Each source meets the next `neighbours` sources (in time order) that tried the same username;
 * the usernames a pair met on are its shared names. That is every shared name when at most
 * `neighbours` + 1 sources tried each of them, and bounded work when thousands of proxies spray
 * one list (consecutive members of such a swarm still meet on most names).
 *
 * Counted here rather than in SQL: as a window over each username's sources (an array of the
 * next 25 per row, unnested and grouped by pair) it was the campaigns' slowest statement after
 * an appended hour at 10 M events (0.70–0.89 s for 128,000 (source, username) rows, of which
 * 117,000 pairs met within the gap and one passed the rule). Here each username's sources are
 * put in order and counted in 0.05–0.1 s; PostgreSQL lists them unordered (a hash aggregate,
 * 0.06 s, where sorting the 128,000 rows by username took 0.12–0.17 s).
 */

export interface OverlapRules {
  /** Microseconds. */
  gap: number
  minShared: number
  minFraction: number
  neighbours: number
}

/** A source's activity (its failures): first and last in microseconds, and its distinct usernames. */
export interface OverlapSource {
  first: number
  last: number
  usernames: number
}

// A pair's key is a * STRIDE + b: the ids are the scratch table's serial ids, far below 2^26,
// so the key stays an exact integer in a double.
const STRIDE = 2 ** 26

/** Pair counts per (earlier source, later source), keyed so that a Map of numbers holds them. */
export class SharedNames {
  private readonly counts = new Map<number, number>()
  constructor(
    private readonly sources: ReadonlyMap<number, OverlapSource>,
    private readonly rules: OverlapRules,
  ) {}

  /**
   * The sources that tried one username, in any order. Taken in time order (first failure, then
   * id: the order every rule breaks ties by), a later source (it starts no earlier) is within the
   * gap of one exactly when it starts no later than the gap after that one's end; the rest of the
   * list starts later still.
   */
  addUsername(tried: readonly number[]): void {
    const sources = [...tried].sort((x, y) => this.source(x).first - this.source(y).first || x - y)
    for (let i = 0; i < sources.length - 1; i++) {
      const a = sources[i]
      const reach = this.source(a).last + this.rules.gap
      const stop = Math.min(sources.length, i + 1 + this.rules.neighbours)
      for (let j = i + 1; j < stop; j++) {
        const b = sources[j]
        if (this.source(b).first > reach) break
        const key = a * STRIDE + b
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
      }
    }
  }

  /** The pairs the rule links: [earlier source, later source]. */
  pairs(): [number, number][] {
    const linked: [number, number][] = []
    const { gap, minShared, minFraction } = this.rules
    for (const [key, shared] of this.counts) {
      if (shared < minShared) continue
      const a = Math.floor(key / STRIDE)
      const b = key - a * STRIDE
      const sa = this.source(a)
      const sb = this.source(b)
      if (Math.max(sa.first, sb.first) - Math.min(sa.last, sb.last) > gap) continue
      if (shared < minFraction * Math.min(sa.usernames, sb.usernames)) continue
      linked.push([a, b])
    }
    return linked
  }

  private source(id: number): OverlapSource {
    const source = this.sources.get(id)
    if (!source) throw new Error(`campaign source ${id} is in a username's list but not among the sources`)
    return source
  }
}
