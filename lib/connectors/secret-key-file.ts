import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { defaultDataDir } from '@/lib/db/embedded-postgres'
import { newSecretKey } from './secrets'

/**
 * For `npm start` on a fresh machine: without ET_SECRET_KEY, a key is generated once and kept
 * beside the embedded database's data (mode 600), so connector secrets work out of the box.
 * Production deployments set ET_SECRET_KEY themselves (and keep it apart from the database).
 */
export async function ensureSecretKey(): Promise<'environment' | string> {
  if (process.env.ET_SECRET_KEY) return 'environment'
  const file = path.join(path.dirname(defaultDataDir()), 'secret-key')
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, `${newSecretKey()}\n`, { mode: 0o600 })
  }
  process.env.ET_SECRET_KEY = (await readFile(file, 'utf8')).trim()
  return file
}
