/**
 * Who may do what (browser-safe: the UI hides what a role cannot do, the server enforces it).
 * Roles are ordered: each can do everything the ones before it can.
 */
export const ROLES = ['viewer', 'analyst', 'lead', 'admin'] as const
export type Role = (typeof ROLES)[number]

export function atLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum)
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** The lowest role allowed to do each thing. */
export const PERMISSIONS = {
  read: 'viewer',
  export: 'viewer',
  ownTokens: 'viewer',
  savedViews: 'viewer',
  triage: 'analyst',
  comment: 'analyst',
  import: 'analyst',
  review: 'lead',
  closeHighAsFalsePositive: 'lead',
  settings: 'lead',
  deleteDataset: 'lead',
  recompute: 'lead',
  manageUsers: 'admin',
  connectors: 'admin',
} as const satisfies Record<string, Role>

export type Permission = keyof typeof PERMISSIONS

export function can(role: Role, permission: Permission): boolean {
  return atLeast(role, PERMISSIONS[permission])
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: 'reads findings, timelines and exports',
  analyst: 'triages findings: assigns, comments, closes; imports logs',
  lead: 'reviews closed findings, closes High as false positive, changes detection settings, deletes datasets',
  admin: 'manages users and connectors',
}
