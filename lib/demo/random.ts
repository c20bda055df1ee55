import { createHash } from 'node:crypto'

/**
 * Seeded randomness for the demo. Every part of the demo (the background, each scenario) draws
 * from its own stream, seeded from (seed, anchor, part name), so adding or changing one scenario
 * never shifts the events of another.
 */

/** mulberry32: tiny, fast and good enough for fake log data (not for anything secret). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** FNV-1a: turns a stream name into a 32-bit seed. */
export function hashToSeed(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

export class Random {
  private readonly next: () => number

  constructor(seed: number) {
    this.next = mulberry32(seed)
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next()
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list')
    return items[Math.floor(this.next() * items.length)]
  }

  /** Picks by relative weight: [[value, weight], ...]. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0)
    let roll = this.next() * total
    for (const [value, weight] of entries) {
      roll -= weight
      if (roll < 0) return value
    }
    return entries[entries.length - 1][0]
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = items.slice()
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      ;[copy[i], copy[j]] = [copy[j], copy[i]]
    }
    return copy
  }

  /** How many events happen in an interval with this mean (Knuth; fine for the small means used here). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean)
    let count = 0
    let product = this.next()
    while (product > limit) {
      count++
      product *= this.next()
    }
    return count
  }

  /** A GUID-shaped value for fields nobody de-duplicates on (correlation ids, device ids). */
  guid(): string {
    const hex = Array.from({ length: 4 }, () => Math.floor(this.next() * 4_294_967_296).toString(16).padStart(8, '0')).join('')
    return guidFromHex(hex)
  }

  /** A base64url token like Graph's uniqueTokenIdentifier (22 characters). */
  token(): string {
    const bytes = Buffer.alloc(16)
    for (let i = 0; i < 16; i++) bytes[i] = Math.floor(this.next() * 256)
    return bytes.toString('base64url')
  }
}

/** Formats 32 hex digits as a version-4 GUID. */
function guidFromHex(hex: string): string {
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/**
 * Sign-in ids are the de-duplication key of the import, so they must never collide between
 * streams. mulberry32 has a single 2^32 cycle that every seed joins somewhere, so two streams can
 * replay each other's numbers; ids are hashed from (stream, counter) instead.
 */
export function idSequence(streamKey: string): () => string {
  let counter = 0
  return () => guidFromHex(createHash('sha256').update(`${streamKey}#${counter++}`).digest('hex').slice(0, 32))
}

/** The seeds of one demo: a stream of randomness and of ids per named part. */
export class DemoSeeds {
  constructor(
    readonly seed: number,
    readonly anchor: number,
  ) {}

  private key(part: string): string {
    return `${this.seed}|${this.anchor}|${part}`
  }

  random(part: string): Random {
    return new Random(hashToSeed(this.key(part)))
  }

  ids(part: string): () => string {
    return idSequence(this.key(part))
  }
}
