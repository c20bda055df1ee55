import Link from 'next/link'
import type { Verdict } from '@/lib/detection/verdicts'
import { VERDICTS } from '@/lib/detection/verdicts'
import { tierShort } from '@/components/ui/verdict-badge'

/** What goes beyond the rule, next to a finding's verdict: each badge says it in words. */
export function FindingBadges({
  kind,
  verdict,
  slidingVerdict,
  slidingPeakUsernames,
  escalated,
  suppressedByName,
  campaignId,
}: {
  kind: 'hourly' | 'sliding' | 'low_and_slow'
  verdict: Verdict
  slidingVerdict: Verdict | null
  slidingPeakUsernames: number | null
  escalated: boolean
  suppressedByName: string | null
  campaignId: number | null
}) {
  const split = kind === 'hourly' && slidingVerdict !== null && VERDICTS.indexOf(slidingVerdict) < VERDICTS.indexOf(verdict)
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
      {kind === 'sliding' && (
        <span className="badge kind-badge" title="No fixed UTC hour reached the threshold; a sliding window across the hour boundary did">
          sliding window
        </span>
      )}
      {kind === 'low_and_slow' && (
        <span className="badge kind-badge" title="Few usernames per hour, many over the long window">
          low and slow
        </span>
      )}
      {split && (
        <span className="badge split-badge" title={`A sliding window across the hour boundary reaches ${slidingPeakUsernames} usernames (${slidingVerdict})`}>
          split by the hour: {tierShort(slidingVerdict!)} {slidingPeakUsernames}
        </span>
      )}
      {escalated && (
        <span className="badge severity-critical" title="A probed account later showed the password was right">
          password right
        </span>
      )}
      {suppressedByName && (
        <span className="badge neutral" title={`Suppressed by the rule “${suppressedByName}”`}>
          suppressed
        </span>
      )}
      {campaignId !== null && (
        <Link className="badge neutral" href={`/campaigns/${campaignId}`} title="Part of a campaign across several sources">
          campaign
        </Link>
      )}
    </span>
  )
}
