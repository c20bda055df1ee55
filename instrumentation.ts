/**
 * Runs once when the Next.js server starts: the background scheduler (connectors, recovery),
 * and, while no account exists, the one-time setup code printed to the console.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { startScheduler } = await import('./lib/connectors/scheduler')
  startScheduler()
  const { issueSetupCode, setupCodeBanner } = await import('./lib/auth/setup-code')
  try {
    const code = await issueSetupCode()
    if (code) console.log(setupCodeBanner(code, process.env.PORT))
  } catch (error) {
    console.error(`setup code: ${(error as Error).message} (restart the server to get one)`)
  }
}
