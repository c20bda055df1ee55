/**
 * What Entra ID sign-in error codes say about the account an attacker probed
 * (docs/reference/signin-formats.md §5): the difference between a name that does not exist and an
 * account the attacker has now confirmed.
 */
export interface ErrorCodeMeaning {
  code: string
  name: string
  /** true: the account exists; false: it does not; null: the code does not say. */
  accountExists: boolean | null
  /** The first factor (password) was right. */
  passwordCorrect: boolean
}

const MEANINGS: ErrorCodeMeaning[] = [
  { code: '0', name: 'Success', accountExists: true, passwordCorrect: true },
  { code: '50034', name: 'User account not found', accountExists: false, passwordCorrect: false },
  { code: '50053', name: 'Account locked (smart lockout) or malicious IP', accountExists: true, passwordCorrect: false },
  { code: '50055', name: 'Password expired (password was right)', accountExists: true, passwordCorrect: true },
  { code: '50056', name: 'Invalid or null password', accountExists: true, passwordCorrect: false },
  { code: '50057', name: 'Account disabled', accountExists: true, passwordCorrect: false },
  { code: '50126', name: 'Invalid username or password', accountExists: true, passwordCorrect: false },
  { code: '50074', name: 'Strong authentication required (interrupt)', accountExists: true, passwordCorrect: true },
  { code: '50076', name: 'MFA required', accountExists: true, passwordCorrect: true },
  { code: '50079', name: 'MFA registration required', accountExists: true, passwordCorrect: true },
  { code: '50158', name: 'External security challenge not satisfied', accountExists: true, passwordCorrect: true },
  { code: '53003', name: 'Blocked by Conditional Access', accountExists: true, passwordCorrect: true },
  { code: '500121', name: 'Strong authentication failed', accountExists: true, passwordCorrect: true },
  { code: '50140', name: 'Keep me signed in interrupt', accountExists: true, passwordCorrect: false },
  { code: '50058', name: 'No session (silent sign-in)', accountExists: null, passwordCorrect: false },
  { code: '50125', name: 'Password reset registration interrupt', accountExists: true, passwordCorrect: false },
  { code: '50144', name: 'On-premises password expired', accountExists: true, passwordCorrect: false },
  { code: '16000', name: 'Account not in this tenant (interaction required)', accountExists: null, passwordCorrect: false },
]

const BY_CODE = new Map(MEANINGS.map((m) => [m.code, m]))

export function errorCodeMeaning(code: string): ErrorCodeMeaning {
  return BY_CODE.get(code) ?? { code, name: `Error ${code}`, accountExists: null, passwordCorrect: false }
}

/** Whether the codes a username got say the account exists: any confirming code wins over 50034. */
export function accountExistsFromCodes(codes: readonly string[]): boolean | null {
  const verdicts = codes.map((c) => errorCodeMeaning(c).accountExists)
  if (verdicts.includes(true)) return true
  if (verdicts.includes(false)) return false
  return null
}
