// Headers of the exports, as docs/reference/signin-formats.md records them.

/** The exact 2024-10 header (§2.2), quirks included. */
export const PORTAL_HEADER_2024 = [
  'Date (UTC)', 'Request ID', 'User agent', 'Correlation ID', 'User ID', 'User', 'Username', 'User type',
  'Cross tenant access type', 'Incoming token type', 'Authentication Protocol', 'Unique token identifier',
  'Original transfer method', 'Client credential type', 'Token Protection - Sign In Session',
  'Token Protection - Sign In Session StatusCode', 'Application', 'Application ID ', 'Resource',
  'Resource ID ', 'Resource tenant ID', 'Home tenant ID', 'Home tenant name', 'IP address', 'Location',
  'Status', 'Sign-in error code', 'Failure reason', 'Client app', 'Device ID', 'Browser', 'Operating System',
  'Compliant', 'Managed', 'Join Type', 'Multifactor authentication result',
  'Multifactor authentication auth method', 'Multifactor authentication auth detail',
  'Authentication requirement', 'Sign-in identifier', 'Session ID', 'IP address (seen by resource)',
  'Through Global Secure Access', 'Global Secure Access IP address', 'Autonomous system  number',
  'Flagged for review', 'Token issuer type', 'Incoming token type', 'Token issuer name', 'Latency',
  'Conditional Access', 'Managed Identity type', 'Associated Resource Id', 'Federated Token Id',
  'Federated Token Issuer',
]

/** Application (service-principal) sign-ins download, 22 columns (§2.3). */
export const APPLICATION_SIGNINS_HEADER =
  'Date (UTC),Request ID,Correlation ID,Service principal ID,Service principal name,Credential key ID,Credential thumbprint,Application,Application ID ,App owner tenant ID,Resource,Resource ID ,Resource tenant ID,Resource owner tenant ID,Home tenant ID,Home tenant name,IP address,Location,Status,Sign-in error code,Failure reason,Conditional Access'
