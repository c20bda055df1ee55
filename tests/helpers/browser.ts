import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, inject } from 'vitest'
import { TEST_USERS } from '../setup/app-server'
import { CHROMIUM_ARGS } from './chromium'
import { repoRoot } from './paths'

/** Whether the browser tests can run here (tests/setup/app-server.ts says why not). */
export const browserAvailable = Boolean(inject('chromiumPath'))

export type TestRole = keyof typeof TEST_USERS

export function appUrl(pathname: string): string {
  return `${inject('appUrl')}${pathname}`
}

/** Signs in through the login page, as a person would. */
export async function signIn(page: Page, role: TestRole): Promise<void> {
  await page.goto(appUrl('/login'))
  await page.locator('input[name="email"]').fill(TEST_USERS[role].email)
  await page.locator('input[name="password"]').fill(TEST_USERS[role].password)
  await page.locator('form[aria-label="Sign in"] button[type="submit"]').click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
}

/**
 * Real Chromium (Debian's, driven by playwright-core) against the app the setup serves. Each
 * `as` role gets its own browser context (its own cookies), signed in before the tests.
 */
export function useBrowser(...roles: TestRole[]): { page: (role?: TestRole) => Page; url: (pathname: string) => string; errors: string[] } {
  let browser: Browser | null = null
  const pages = new Map<TestRole, Page>()
  const contexts: BrowserContext[] = []
  const errors: string[] = []
  beforeAll(async () => {
    if (!browserAvailable) return
    browser = await chromium.launch({ executablePath: inject('chromiumPath'), args: CHROMIUM_ARGS })
    for (const role of roles) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
      contexts.push(context)
      const page = await context.newPage()
      page.on('pageerror', (error) => errors.push(`${role}: ${String(error)}`))
      page.on('console', (message) => {
        // A failed load's message does not say what failed; its location does.
        const where = message.location().url
        if (message.type() === 'error') errors.push(`${role}: ${message.text()}${where && /Failed to load resource/.test(message.text()) ? ` (${where})` : ''}`)
      })
      await signIn(page, role)
      pages.set(role, page)
    }
  })
  afterAll(async () => {
    await browser?.close()
  })
  return {
    page: (role = roles[0]) => {
      const page = pages.get(role)
      if (!page) throw new Error(`no browser page for ${role} (Chromium missing?)`)
      return page
    },
    url: appUrl,
    errors,
  }
}

/** Saved for review: test-results/screenshots/<name>.png */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(repoRoot, 'test-results', 'screenshots', `${name}.png`), fullPage: true })
}
