import Link from 'next/link'
import { formatNumber, formatUtc } from '@/components/ui/format'
import type { ConfirmedAccount } from '@/lib/remediation/confirmed-accounts'

/** Confirmed accounts the yield section lists before "Show all" (the CSV export has every one). */
export const YIELD_PAGE_ACCOUNTS = 25

/**
 * What the attacker learnt: names that do not exist, and accounts now confirmed — the remediation
 * list. A long list shows its first YIELD_PAGE_ACCOUNTS rows and links to the whole one
 * (`showAllHref`): a server-rendered row costs twice, in the HTML and in the page data.
 */
export function YieldSection({ exportHref, notFound, accounts, what = 'The attacker', showAllHref, all = false }: { exportHref: string; notFound: number; accounts: ConfirmedAccount[]; what?: string; showAllHref: string; all?: boolean }) {
  const listed = all ? accounts : accounts.slice(0, YIELD_PAGE_ACCOUNTS)
  return (
    <section aria-label="Enumeration yield" data-testid="yield" id="yield">
      <div className="page-header" style={{ marginBottom: 8 }}>
        <h2 style={{ margin: 0 }}>Enumeration yield</h2>
        {accounts.length > 0 && (
          <a className="button" href={exportHref} download data-testid="remediation-csv">
            Export the remediation list (CSV)
          </a>
        )}
      </div>
      <p>
        <strong data-testid="confirmed-count">{formatNumber(accounts.length)}</strong> accounts confirmed to exist (50053, 50055, 50056, 50126, 50057) ·{' '}
        <strong>{formatNumber(notFound)}</strong> names not found (50034).{' '}
        {accounts.length > 0 ? `${what} now knows these accounts: reset their passwords, require MFA and watch their sign-ins.` : 'No account was confirmed.'}
      </p>
      {listed.length < accounts.length && (
        <p className="muted" data-testid="confirmed-accounts-partial">
          The first {formatNumber(listed.length)} of {formatNumber(accounts.length)} are listed. <Link href={showAllHref}>Show all {formatNumber(accounts.length)}</Link> or export them.
        </p>
      )}
      {accounts.length > 0 && (
        <div className="table-scroll" style={{ maxHeight: 320, overflowY: 'auto' }} tabIndex={0} role="region" aria-label="Confirmed accounts (scrolls)">
          <table className="data" data-testid="confirmed-accounts">
            <thead>
              <tr>
                <th>Account</th>
                <th>Codes</th>
                <th className="num">Attempts</th>
                <th>First probed</th>
              </tr>
            </thead>
            <tbody>
              {listed.map((a) => (
                <tr key={a.userPrincipalName}>
                  <td className="mono">{a.userPrincipalName}</td>
                  <td className="mono">{a.errorCodes.join(', ')}</td>
                  <td className="num">{a.attempts}</td>
                  <td className="nowrap">{formatUtc(a.firstProbed, 'second')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
