/**
 * Slows password guessing against our own sign-in: after MAX_FAILURES failed attempts for one
 * e-mail or one client address within WINDOW_MS, further attempts are refused until the window
 * passes. Kept in memory: one app process serves one deployment.
 */
const WINDOW_MS = 15 * 60_000
const MAX_FAILURES = 10

const failures = new Map<string, number[]>()

function recent(key: string, now: number): number[] {
  const times = (failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS)
  if (times.length) failures.set(key, times)
  else failures.delete(key)
  return times
}

export function loginBlocked(email: string, client: string, now = Date.now()): boolean {
  return recent(`email:${email.toLowerCase()}`, now).length >= MAX_FAILURES || recent(`client:${client}`, now).length >= MAX_FAILURES * 3
}

export function recordLoginFailure(email: string, client: string, now = Date.now()): void {
  for (const key of [`email:${email.toLowerCase()}`, `client:${client}`]) failures.set(key, [...recent(key, now), now])
}

export function clearLoginFailures(email: string): void {
  failures.delete(`email:${email.toLowerCase()}`)
}
