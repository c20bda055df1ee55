/**
 * A seeded generator (mulberry32), so every run of the benchmark loads the same rows and the
 * figures of two runs compare the code, not the data.
 */
export class Random {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  /** A random version-4 style GUID, as Entra writes its ids. */
  guid(): string {
    const h = (n: number) => Math.floor(this.next() * 16 ** n).toString(16).padStart(n, '0')
    return `${h(8)}-${h(4)}-4${h(3)}-${(8 + this.int(0, 3)).toString(16)}${h(3)}-${h(6)}${h(6)}`
  }

  /** A token-identifier-like base64url string. */
  token(length: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    let out = ''
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * 64)]
    return out
  }
}
