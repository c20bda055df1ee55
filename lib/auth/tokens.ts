import { createHash, randomBytes } from 'node:crypto'

/** Secrets handed to a browser or a script: 256 random bits; only their SHA-256 is stored. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
