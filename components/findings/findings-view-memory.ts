/**
 * The findings view (path and filters) the analyst last looked at, kept for this tab, so
 * breadcrumbs from a finding or an IP lead back to that view rather than to every finding.
 */
const KEY = 'et:findings-view'

export function rememberFindingsView(url: string): void {
  try {
    sessionStorage.setItem(KEY, url)
  } catch {
    // storage refused (private mode, quota): the breadcrumb falls back to the plain list
  }
}

export function lastFindingsView(): string | null {
  try {
    const url = sessionStorage.getItem(KEY)
    // Only our own findings pages: never a link to somewhere else.
    return url && /^\/(findings|review)(\?|$)/.test(url) ? url : null
  } catch {
    return null
  }
}
