import { randomInt, timingSafeEqual } from 'node:crypto'
import type { Prisma } from '@/lib/generated/prisma/client'
import { getPrisma } from '@/lib/db/database'
import { secretHash } from './tokens'

/**
 * A fresh install is claimed with a one-time code printed in the server's console (as Jupyter
 * does), not by whoever reaches /setup first over the network. Each server start without any
 * account issues a new code (the last one printed is the one that works); creating the first
 * administrator uses it up. Only its hash is stored.
 */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789' // no 0/O, 1/I: read off a console, typed by hand
const GROUPS = 4
const GROUP_LENGTH = 5 // 20 characters of 32: 100 bits

export function normaliseSetupCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '')
}

/** A new code when there is no account yet (replacing any earlier one), else null. */
export async function issueSetupCode(): Promise<string | null> {
  const prisma = await getPrisma()
  if ((await prisma.user.count()) > 0) {
    await prisma.setupCode.deleteMany({})
    return null
  }
  const groups = Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''))
  const code = groups.join('-')
  const codeHash = secretHash(normaliseSetupCode(code))
  await prisma.setupCode.upsert({ where: { id: 1 }, create: { id: 1, codeHash }, update: { codeHash, createdAt: new Date() } })
  return code
}

/** Whether `code` is the current setup code; inside the setup transaction, uses it up when it is. */
export async function consumeSetupCode(tx: Pick<Prisma.TransactionClient, 'setupCode'>, code: string): Promise<boolean> {
  const stored = await tx.setupCode.findUnique({ where: { id: 1 } })
  if (!stored) return false
  const given = Buffer.from(secretHash(normaliseSetupCode(code)), 'hex')
  const expected = Buffer.from(stored.codeHash, 'hex')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false
  await tx.setupCode.delete({ where: { id: 1 } })
  return true
}

/** What the server prints at start while the install is unclaimed. */
export function setupCodeBanner(code: string, port: string | undefined): string {
  const url = `http://localhost:${port ?? '3000'}/setup?code=${code}`
  return [
    '',
    '  No account exists yet. To create the first administrator, open',
    `    ${url}`,
    `  (or /setup on this server's address) and enter the one-time setup code: ${code}`,
    '  Or create accounts from a shell: npm run cli -- users add you@example.com --role admin',
    '',
  ].join('\n')
}
