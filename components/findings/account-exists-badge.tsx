/** What the error codes told the attacker about the account. */
export function AccountExistsBadge({ exists }: { exists: boolean | null }) {
  if (exists === true)
    return (
      <span className="badge exists" title="50053 / 50055 / 50056 (or another confirming code): the account exists — the attacker now knows it">
        exists
      </span>
    )
  if (exists === false)
    return (
      <span className="badge missing" title="50034: no such account in the directory">
        not found
      </span>
    )
  return <span className="badge neutral">unknown</span>
}
