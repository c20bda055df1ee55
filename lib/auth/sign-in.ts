import { getPrisma } from '@/lib/db/database'
import { recordAudit } from './audit'
import { beginSignInAttempt, signInSucceeded } from './login-throttle'
import { normaliseEmail } from './email'
import { createSession } from './sessions'
import { authenticate, type UserSummary } from './users'

export type SignInResult =
  | { outcome: 'signed-in'; user: UserSummary; token: string }
  | { outcome: 'wrong' }
  | { outcome: 'throttled'; retryAfterSeconds: number }

/**
 * Password sign-in: throttled (lib/auth/login-throttle.ts), and audited — a sign-in in the same
 * transaction as its session, a failure with the address it came from. Attempts refused by the
 * throttle are not audited one by one: the lockout that refuses them is.
 */
export async function signInWithPassword(email: string, password: string, client: string | null): Promise<SignInResult> {
  const keys = { email, client }
  const verdict = await beginSignInAttempt(keys)
  if (!verdict.allowed) return { outcome: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds }
  const user = await authenticate(email, password)
  const prisma = await getPrisma()
  const from = client ?? 'an unknown address'
  if (!user) {
    await recordAudit(prisma, { system: `sign-in from ${from}` }, 'auth.sign-in-failed', { type: 'sign-in', id: normaliseEmail(email) }, null, { client })
    return { outcome: 'wrong' }
  }
  await signInSucceeded(keys)
  return { outcome: 'signed-in', user, token: await openSession(user, 'password', client) }
}

/** A new session for someone who proved who they are, audited in the same transaction. */
export async function openSession(user: UserSummary, method: 'password' | 'oidc', client: string | null): Promise<string> {
  const prisma = await getPrisma()
  const session = await prisma.$transaction(async (tx) => {
    if (method === 'password') await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } })
    const created = await createSession(user.id, tx)
    await recordAudit(tx, { user, via: 'session' }, 'auth.sign-in', { type: 'user', id: user.id }, null, { method, client })
    return created
  })
  return session.token
}

/** A single sign-on that failed, with the reason the person was shown. */
export async function recordFailedSingleSignOn(reason: string, client: string | null): Promise<void> {
  await recordAudit(await getPrisma(), { system: `sign-in from ${client ?? 'an unknown address'}` }, 'auth.sign-in-failed', { type: 'sign-in', id: 'single sign-on' }, null, {
    method: 'oidc',
    client,
    reason,
  })
}
