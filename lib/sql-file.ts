import { readFileSync } from 'node:fs'
import path from 'node:path'
import { projectRoot } from './db/project-root'

const cache = new Map<string, string>()

/**
 * The text of a query kept in its own .sql file (path relative to lib/), read once. Queries
 * live in .sql files so they read as SQL; parameters are always bound ($1, $2 …), never spliced.
 */
export function sqlFile(relativePath: string): string {
  let text = cache.get(relativePath)
  if (text === undefined) {
    text = readFileSync(/*turbopackIgnore: true*/ path.join(projectRoot(), 'lib', relativePath), 'utf8')
    cache.set(relativePath, text)
  }
  return text
}
