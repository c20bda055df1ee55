import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'

/**
 * Runs `next build` when there is no build or a source changed since the last one, so
 * `npm start` and the end-to-end tests always serve the code in the working tree.
 */
function newestSourceTime(root: string): number {
  let newest = 0
  const visit = (target: string) => {
    if (!existsSync(target)) return
    const stat = statSync(target)
    // A folder's time changes when a file in it is added or deleted; deletions count too.
    newest = Math.max(newest, stat.mtimeMs)
    if (stat.isDirectory()) {
      for (const entry of readdirSync(target)) if (entry !== 'generated' && entry !== 'node_modules') visit(path.join(target, entry))
    } else newest = Math.max(newest, stat.mtimeMs)
  }
  for (const entry of ['app', 'components', 'lib', 'next.config.js', 'proxy.ts', 'instrumentation.ts', 'package-lock.json', 'tsconfig.json', 'prisma/schema.prisma']) visit(path.join(root, entry))
  return newest
}

export function buildIfNeeded(root: string, log: (line: string) => void = console.log): void {
  const buildId = path.join(root, '.next', 'BUILD_ID')
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestSourceTime(root)) return
  log('building the app (first start or sources changed)…')
  const build = () =>
    spawnSync(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    }).status
  if (build() === 0) return
  // A build interrupted earlier can leave Turbopack's cache unusable; one clean retry.
  log('build failed; retrying once without the build cache…')
  rmSync(path.join(root, '.next'), { recursive: true, force: true })
  if (build() !== 0) throw new Error('next build failed')
}
