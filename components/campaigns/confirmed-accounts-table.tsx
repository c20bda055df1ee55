import Link from 'next/link'
import type { CampaignConfirmedAccount } from '@/lib/campaigns/campaign-types'
import { formatNumber, formatUtc } from '@/components/ui/format'
import { TruncatedText } from '@/components/ui/truncated-text'

/**
 * The accounts the campaign confirmed exist: reset their passwords, check their MFA, watch
 * their sign-ins. Exported as CSV for the identity team. A long list comes in its first rows with a
 * link to the whole one (`total` is the whole list's length), so the page stays small.
 */
export function ConfirmedAccountsTable({ campaignId, accounts, total, showAllHref }: { campaignId: number; accounts: CampaignConfirmedAccount[]; total: number; showAllHref: string }) {
  return (
    <section className="panel" aria-labelledby="confirmed-accounts-heading">
      <div className="page-header" style={{ marginBottom: 8 }}>
        <h2 id="confirmed-accounts-heading" style={{ margin: 0 }}>
          Confirmed accounts ({formatNumber(total)})
        </h2>
        {total > 0 && (
          <a className="button" href={`/api/campaigns/${campaignId}/confirmed-accounts?format=csv`} download data-testid="confirmed-accounts-csv">
            Export CSV
          </a>
        )}
      </div>
      <p className="muted" style={{ marginTop: 0 }}>
        Names that answered with a code meaning the account exists (50053 locked, 50055 expired password, 50056 no password, 50126 wrong password,
        50057 disabled): the attacker now knows them. This is the remediation list.
      </p>
      {accounts.length < total && (
        <p className="muted" data-testid="confirmed-accounts-partial">
          The first {formatNumber(accounts.length)} of {formatNumber(total)} are listed. <Link href={showAllHref}>Show all {formatNumber(total)}</Link> or export them.
        </p>
      )}
      {total === 0 ? (
        <p className="muted">None: every name this campaign tried was unknown to the directory.</p>
      ) : (
        <div className="table-scroll" style={{ maxHeight: 420, overflowY: 'auto' }} tabIndex={0} role="region" aria-label="Confirmed accounts (scrolls)">
          <table className="data" data-testid="confirmed-accounts-table">
            <thead>
              <tr>
                <th>Username</th>
                <th>Codes</th>
                <th className="num">Attempts</th>
                <th>First probed</th>
                <th>Last probed</th>
                <th className="num">Source IPs</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.userPrincipalName}>
                  <td>
                    <TruncatedText text={a.userPrincipalName} max={40} className="mono" />
                  </td>
                  <td className="mono">{a.errorCodes.join(' ')}</td>
                  <td className="num">{formatNumber(a.attempts)}</td>
                  <td className="nowrap">{formatUtc(a.firstProbed)}</td>
                  <td className="nowrap">{formatUtc(a.lastProbed)}</td>
                  <td className="num" title={a.sourceIps.join(', ')}>
                    {formatNumber(a.sourceIps.length)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
