import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixturesDir, formatSamplesDir, realExportPath, repoRoot } from '../helpers/paths'

// A clone of this repository must work with nothing beside it: no code, test, fake, script, CI
// step or doc may read or name the workspace folder the project once sat in, and every relative
// link in the docs must land on a file of the repository.

/** Tracked files (git ls-files), or every file outside build output when this is not a git checkout. */
function repositoryFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    return out.split('\0').filter(Boolean).filter((file) => existsSync(path.join(repoRoot, file)))
  } catch {
    const skip = new Set(['node_modules', '.git', '.next', '.data', 'test-results', path.join('lib', 'generated')])
    const walk = (dir: string): string[] =>
      readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
        const rel = path.join(dir, entry.name)
        if (skip.has(rel)) return []
        return entry.isDirectory() ? walk(rel) : [rel]
      })
    return walk('')
  }
}

const files = repositoryFiles()
const textFiles = files.filter((file) => /\.(ts|tsx|js|mjs|cjs|sql|md|json|prisma|toml|css|ya?ml|sh)$|(^|\/)(run|\.gitignore|\.gitattributes)$/.test(file))

// '..' + '/shared', 'shared/' + 'docs': written apart so this file does not match itself.
const OUTSIDE = new RegExp(String.raw`\.\./shared|(^|[^a-z_])shared/(docs|datasets)|/work/(shared|main|wt-)`)

describe('the repository stands on its own', () => {
  it('finds the files it checks', () => {
    expect(files).toContain('package.json')
    expect(textFiles.length).toBeGreaterThan(100)
  })

  it('no file names a path beside or outside the repository', () => {
    const hits = textFiles
      .filter((file) => file !== 'package-lock.json')
      .flatMap((file) =>
        readFileSync(path.join(repoRoot, file), 'utf8')
          .split('\n')
          .flatMap((line, i) => (OUTSIDE.test(line) ? [`${file}:${i + 1}: ${line.trim().slice(0, 120)}`] : [])),
      )
    expect(hits).toEqual([])
  })

  it('the test data the tests read is part of the repository', () => {
    for (const dir of [fixturesDir, formatSamplesDir]) expect(path.relative(repoRoot, dir).startsWith('..')).toBe(false)
    const tracked = new Set(files)
    expect(tracked.has(path.relative(repoRoot, realExportPath))).toBe(true)
    expect(tracked.has(path.relative(repoRoot, path.join(formatSamplesDir, 'expected-findings.json')))).toBe(true)
    expect(tracked.has('tests/fixtures/entra-signin/README.md')).toBe(true)
    expect(tracked.has('tests/fixtures/entra-signin/LICENSE')).toBe(true)
    // Stored byte for byte: the export's README records its size and hash.
    const bytes = readFileSync(realExportPath)
    expect(bytes.length).toBe(113_926)
    expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf')
    expect(bytes.includes('\r\n')).toBe(true)
  })

  it('every relative link in the docs lands on a file of the repository', () => {
    const tracked = new Set(files)
    const broken: string[] = []
    for (const file of textFiles.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(path.join(repoRoot, file), 'utf8')
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:|^#|^\//i.test(target)) continue
        const resolved = path.normalize(path.join(path.dirname(file), decodeURI(target.split('#')[0])))
        const inside = !resolved.startsWith('..')
        const exists = inside && (tracked.has(resolved) || (existsSync(path.join(repoRoot, resolved)) && statSync(path.join(repoRoot, resolved)).isDirectory()))
        if (!exists) broken.push(`${file}: ${target}`)
      }
    }
    expect(broken).toEqual([])
  })
})
