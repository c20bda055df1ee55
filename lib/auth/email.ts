/**
 * The one form of an account's e-mail address: how it is stored, looked up at sign-in and
 * throttled. Any second spelling of this rule (a throttle that lower-cases but does not trim)
 * gives an attacker a fresh counter for the same account.
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}
