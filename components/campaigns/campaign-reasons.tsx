/** Why a campaign's sources were grouped, one neutral badge per reason. */
export function CampaignReasons({ reasons }: { reasons: string[] }) {
  if (reasons.length === 0) return <span className="muted">—</span>
  return (
    <span style={{ display: 'inline-flex', gap: 4, flexWrap: 'wrap' }} data-testid="campaign-reasons">
      {reasons.map((reason) => (
        <span key={reason} className="badge neutral">
          {reason}
        </span>
      ))}
    </span>
  )
}
