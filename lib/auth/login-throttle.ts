import { getPrisma } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'
import { recordAudit } from './audit'
import { normaliseEmail } from './email'

/**
 * Slows password guessing against our own sign-in without letting anyone lock others out.
 *
 * Every attempt is counted before its password is checked, atomically in the database (so a
 * burst of concurrent guesses, several app processes or a restart change nothing), against:
 *  - the pair (account, client): a guesser at one account from one address is slowed first;
 *  - the client: spraying many accounts (real or made up) from one address slows that address;
 *  - the account: guessing one account from many addresses slows that account.
 * Each key has a few free failures, then locks for a delay that doubles per further failure (at
 * most LONGEST_DELAY). A client's lock never touches another client, so an attacker cannot keep
 * everyone out; the account key is only reached by guessing from several addresses. A right
 * password clears the account's and the pair's count, and takes back its own count from the
 * client's. When the client is unknown (the app is not behind scripts/serve.ts) only the
 * account is throttled, rather than every visitor sharing one bucket.
 */
export const THROTTLE = {
  pair: { free: 5 },
  account: { free: 10 },
  client: { free: 20 },
  firstDelaySeconds: 30,
  longestDelaySeconds: 15 * 60,
  forgetAfterSeconds: 60 * 60,
} as const

type Kind = 'pair' | 'account' | 'client'

export interface ThrottleKeys {
  email: string
  client: string | null
}

function keysFor({ email, client }: ThrottleKeys): { kind: Kind; key: string }[] {
  const account = normaliseEmail(email)
  const keys: { kind: Kind; key: string }[] = [{ kind: 'account', key: `account:${account}` }]
  if (client) keys.push({ kind: 'client', key: `client:${client}` }, { kind: 'pair', key: `pair:${account}|${client}` })
  // One order for every attempt: concurrent attempts lock the same rows in the same order.
  return keys.sort((a, b) => (a.key < b.key ? -1 : 1))
}

class Locked extends Error {}

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/**
 * Counts this attempt against each of its keys, or refuses it (counting nothing) when one of
 * them is locked. A key this attempt locks is audited in the same transaction.
 */
export async function beginSignInAttempt(keys: ThrottleKeys): Promise<AttemptVerdict> {
  const prisma = await getPrisma()
  const throttled = keysFor(keys)
  try {
    await prisma.$transaction(async (tx) => {
      for (const { kind, key } of throttled) {
        const rows = await tx.$queryRawUnsafe<{ failures: number; locked_until: Date | null }[]>(
          sqlFile('auth/sql/login-throttle-count.sql'),
          key,
          THROTTLE[kind].free,
          THROTTLE.firstDelaySeconds,
          THROTTLE.longestDelaySeconds,
          THROTTLE.forgetAfterSeconds,
        )
        if (rows.length === 0) throw new Locked()
        const [{ failures, locked_until: lockedUntil }] = rows
        if (lockedUntil) {
          await recordAudit(tx, { system: keys.client ? `sign-in from ${keys.client}` : 'sign-in' }, 'auth.lockout', { type: 'login-throttle', id: key }, null, {
            failures,
            lockedUntil: lockedUntil.toISOString(),
          })
        }
      }
    })
    return { allowed: true }
  } catch (error) {
    if (!(error instanceof Locked)) throw error
    const locked = await prisma.loginThrottle.aggregate({ _max: { lockedUntil: true }, where: { key: { in: throttled.map((k) => k.key) } } })
    const until = locked._max.lockedUntil?.getTime() ?? Date.now()
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - Date.now()) / 1000)) }
  }
}

/** The attempt proved the password right: it was not a failure after all. */
export async function signInSucceeded(keys: ThrottleKeys): Promise<void> {
  const prisma = await getPrisma()
  const throttled = keysFor(keys)
  await prisma.$transaction(async (tx) => {
    await tx.loginThrottle.deleteMany({ where: { key: { in: throttled.filter((k) => k.kind !== 'client').map((k) => k.key) } } })
    const client = throttled.find((k) => k.kind === 'client')
    if (client) {
      await tx.$executeRawUnsafe(sqlFile('auth/sql/login-throttle-forgive.sql'), client.key, THROTTLE.client.free)
    }
  })
}
