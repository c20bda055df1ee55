/** Runs once when the Next.js server starts: the background scheduler (connectors, recovery). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { startScheduler } = await import('./lib/connectors/scheduler')
  startScheduler()
}
