// Headers of the exports, as docs/reference/signin-formats.md records them.
import { PORTAL_CSV_HEADER } from '../../scripts/bench/portal-csv'

/** The exact 2024-10 header (§2.2), quirks included: the one the benchmark's generator writes. */
export const PORTAL_HEADER_2024: string[] = [...PORTAL_CSV_HEADER]

/** Application (service-principal) sign-ins download, 22 columns (§2.3). */
export const APPLICATION_SIGNINS_HEADER =
  'Date (UTC),Request ID,Correlation ID,Service principal ID,Service principal name,Credential key ID,Credential thumbprint,Application,Application ID ,App owner tenant ID,Resource,Resource ID ,Resource tenant ID,Resource owner tenant ID,Home tenant ID,Home tenant name,IP address,Location,Status,Sign-in error code,Failure reason,Conditional Access'
