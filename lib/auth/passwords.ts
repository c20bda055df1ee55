import { hash, verify } from '@node-rs/argon2'

/**
 * Passwords are hashed with argon2id (memory-hard; OWASP's first choice) at the library's
 * recommended cost: 19 MiB, 2 passes. Only the hash is ever stored.
 */
const ARGON2ID = 2
export const MIN_PASSWORD_LENGTH = 12

export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`
  if (password.length > 1024) return 'a password may have at most 1024 characters'
  return null
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID })
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

// Verifying against this when the account does not exist keeps the response time the same,
// so timing does not reveal which e-mail addresses have accounts (we of all tools should not
// allow user enumeration).
let decoy: Promise<string> | null = null
export async function verifyDecoy(password: string): Promise<false> {
  decoy ??= hashPassword('decoy password that never matches')
  await verifyPassword(await decoy, password)
  return false
}
