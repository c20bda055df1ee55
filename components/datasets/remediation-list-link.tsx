/**
 * The dataset's remediation list: every account an attacker confirmed exists, as CSV for the
 * identity team (reset passwords, check MFA, watch sign-ins). Findings a lead suppressed as
 * benign are left out, as the route leaves them out by default.
 */
export function RemediationListLink({ datasetId }: { datasetId: number }) {
  return (
    <a
      className="button"
      href={`/api/datasets/${datasetId}/confirmed-accounts?format=csv`}
      download
      data-testid="dataset-remediation-csv"
      title="Accounts whose sign-ins answered with a code that means the account exists (50053, 50055, 50056, 50126, 50057), from unsuppressed findings"
    >
      Download confirmed accounts (remediation list)
    </a>
  )
}
