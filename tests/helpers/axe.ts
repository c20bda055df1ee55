import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const require = createRequire(import.meta.url)
let source: string | null = null

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: string[]
}

/**
 * Runs axe-core (injected into the page through playwright-core) on what the page shows now:
 * WCAG 2.x A and AA and axe's best practices, plus the check that a control's accessible name
 * contains its visible text (label-content-name-mismatch, off by default in axe).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  source ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
  // The settled page: while a refresh (router.refresh() after an action) re-renders the page's
  // metadata, its <title> can be missing for a moment, which axe reports as a page without one
  // (seen once in CI after a bulk action). A title that never comes is still reported.
  await page.waitForFunction(() => document.title !== '', null, { timeout: 5_000 }).catch(() => {})
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: source })
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe
    const result = await axe.run(document, { rules: { 'label-content-name-mismatch': { enabled: true } }, resultTypes: ['violations'] })
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))
  })
}
