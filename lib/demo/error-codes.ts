import { TENANT_DOMAIN } from './names'

/**
 * The sign-in result codes the demo uses, with the failure text Entra writes beside them
 * (docs/reference/signin-formats.md §5). Only 50034, 50053, 50055 and 50056 count for the
 * reference rule; the others are background noise or evidence it does not read.
 */

export const CODE = {
  success: 0,
  notFound: 50034,
  locked: 50053,
  expired: 50055,
  noPassword: 50056,
  disabled: 50057,
  noSsoSession: 50058,
  mfaInterrupt: 50074,
  mfaRequired: 50076,
  wrongPassword: 50126,
  kmsiInterrupt: 50140,
} as const

export type ResultCode = (typeof CODE)[keyof typeof CODE]

/** The codes the reference rule counts (docs/reference/reference-rule.md). */
export const RULE_CODES: ReadonlySet<number> = new Set([CODE.notFound, CODE.locked, CODE.expired, CODE.noPassword])

export function failureReason(code: ResultCode, resourceId: string): string {
  switch (code) {
    case CODE.success:
      return 'Other.'
    case CODE.notFound:
      return `The user account does not exist in the ${TENANT_DOMAIN} directory. To sign into this application, the account must be added to the directory.`
    case CODE.locked:
      return 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.'
    case CODE.expired:
      return 'The password is expired.'
    case CODE.noPassword:
      return "Invalid or null password: password doesn't exist in the directory for this user."
    case CODE.disabled:
      return 'User account is disabled. The account has been disabled by an administrator.'
    case CODE.noSsoSession:
      return 'Session information is not sufficient for single-sign-on.'
    case CODE.mfaInterrupt:
      return 'Strong Authentication is required.'
    case CODE.mfaRequired:
      return `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resourceId}'.`
    case CODE.wrongPassword:
      return 'Error validating credentials due to invalid username or password.'
    case CODE.kmsiInterrupt:
      return "This occurred due to 'Keep me signed in' interrupt when the user was signing in."
  }
}

export function additionalDetails(code: ResultCode, interactive: boolean): string | null {
  switch (code) {
    case CODE.success:
      return interactive ? 'MFA completed in Azure AD' : 'MFA requirement satisfied by claim in the token'
    case CODE.mfaInterrupt:
    case CODE.mfaRequired:
      return 'User needs to perform multi-factor authentication. There could be multiple things requiring multi-factor, e.g. Conditional Access policies, per-user enforcement, requested by client, among others.'
    case CODE.kmsiInterrupt:
      return 'This is an expected part of the login flow, where a user is asked if they want to remain signed into this browser to make further logins easier.'
    case CODE.locked:
      return 'The account is locked by Smart Lockout after repeated failed sign-ins.'
    default:
      return null
  }
}
