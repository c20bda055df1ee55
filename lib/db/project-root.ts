import { existsSync } from 'node:fs'
import path from 'node:path'

/**
 * The folder holding package.json. Next.js bundles server code into .next/, so module-relative
 * paths are unreliable there; every entry point (next start, the CLI, tests) runs from the
 * project root or below it.
 */
export function projectRoot(): string {
  let dir = process.cwd()
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) return process.cwd()
    dir = parent
  }
}
