import type { Random } from './prng'

/**
 * A made-up tenant for the generated export: users with their devices (most behind a few
 * office NAT addresses, as in a real company), the apps they use, and the attackers' side.
 */

export interface Device {
  ip: string
  userAgent: string
  clientApp: string
  browser: string
  os: string
  location: string
  asn: string
}

export interface User {
  id: string
  displayName: string
  upn: string
  devices: Device[]
  apps: (typeof APPS)[number][]
}

export const TENANT_ID = '5f1c3a2e-8d4b-4c6e-9a7f-2b3c4d5e6f70'
export const DOMAIN = 'contoso.com'

export const APPS = [
  ['Microsoft Office', 'd3590ed6-52b3-4102-aeff-aad2292ab01c'],
  ['Microsoft Teams', '1fec8e78-bce4-4aaf-ab1b-5451cc387264'],
  ['Outlook Mobile', '27922004-5251-4030-b22d-91ecd9a37ea4'],
  ['Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000'],
  ['OneDrive SyncEngine', 'ab9b8c07-8f02-4f72-87fa-80105867a763'],
  ['Azure Portal', 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c'],
  ['Windows Sign In', '38aa3b87-a06d-4817-b275-7a316988d93b'],
  ['Microsoft Authentication Broker', '29d9ed98-a469-4536-ade2-f981bc1d605e'],
  ['Azure Active Directory PowerShell', '1b730954-1685-4b74-9bfd-dac224a7b894'],
] as const

export const RESOURCES = [
  ['Microsoft Graph', '00000003-0000-0000-c000-000000000000'],
  ['Windows Azure Active Directory', '00000002-0000-0000-c000-000000000000'],
  ['Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000'],
  ['Office 365 SharePoint Online', '00000003-0000-0ff1-ce00-000000000000'],
] as const

const FIRST = ['james', 'mary', 'robert', 'patricia', 'john', 'jennifer', 'michael', 'linda', 'david', 'elizabeth', 'william', 'barbara', 'richard', 'susan', 'joseph', 'jessica', 'thomas', 'sarah', 'charles', 'karen', 'melissa', 'deborah', 'amanda', 'kevin', 'brian', 'george', 'emily', 'laura', 'daniel', 'nancy', 'paul', 'lisa', 'mark', 'sandra', 'anna', 'sofia', 'lucas', 'noah', 'emma', 'olivia']
const LAST = ['smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez', 'lopez', 'gonzalez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin', 'lee', 'perez', 'thompson', 'white', 'harris', 'sanchez', 'clark', 'ramirez', 'lewis', 'robinson', 'walker', 'young', 'allen', 'king', 'wright', 'scott', 'torres', 'nguyen', 'hill', 'flores']

const USER_AGENTS = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.92', 'Browser', 'Edge 122.0.2365', 'Windows10'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36', 'Browser', 'Chrome 122.0.0', 'Windows10'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15', 'Browser', 'Safari 17.3', 'MacOs'],
  ['Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)', 'Mobile Apps and Desktop clients', '', 'Windows10'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Teams/24033.813.2773.520 Chrome/118.0.5993.159 Electron/27.3.2 Safari/537.36', 'Mobile Apps and Desktop clients', '', 'Windows10'],
  ['Mozilla/5.0 (compatible; MSAL 1.0) PKeyAuth/1.0', 'Mobile Apps and Desktop clients', '', 'Windows10'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148', 'Mobile Apps and Desktop clients', '', 'Ios'],
  ['Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.240205.004)', 'Mobile Apps and Desktop clients', '', 'Android'],
] as const

export const OFFICES = [
  ['198.18.10.1', 'Seattle, Washington, US', '8075'],
  ['198.18.20.1', 'London, England, GB', '5466'],
  ['198.18.30.1', 'Dublin, Dublin, IE', '5466'],
  ['198.18.40.1', 'Amsterdam, Noord-Holland, NL', '1136'],
  ['2001:db8:40::1', 'Amsterdam, Noord-Holland, NL', '1136'],
] as const

const HOME_LOCATIONS = [
  ['Seattle, Washington, US', '7922'],
  ['Redmond, Washington, US', '7922'],
  ['Manchester, England, GB', '2856'],
  ['Cork, Cork, IE', '6830'],
  ['Utrecht, Utrecht, NL', '33915'],
  [', , US', '7018'],
] as const

export const ATTACKER_USER_AGENTS = [
  'python-requests/2.31.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'BAV2ROPC',
  'Go-http-client/1.1',
  '',
  'Mozilla/5.0 (compatible; MSAL 1.0)',
] as const

export const ATTACKER_CLIENT_APPS = ['Mobile Apps and Desktop clients', 'Other clients', 'Browser', 'Exchange ActiveSync', ''] as const

export const ATTACKER_LOCATIONS = [
  ['Moscow, Moscow, RU', '49505'],
  ['Ashburn, Virginia, US', '14618'],
  ['Frankfurt am Main, Hesse, DE', '16509'],
  ['Singapore, , SG', '45102'],
  ['São Paulo, São Paulo, BR', '28573'],
] as const

function homeIp(random: Random): string {
  if (random.chance(0.05)) return `2001:db8:${random.int(1, 0xffff).toString(16)}::${random.int(1, 0xffff).toString(16)}`
  return `198.19.${random.int(0, 255)}.${random.int(1, 254)}`
}

function device(random: Random, atOffice: boolean): Device {
  const [userAgent, clientApp, browser, os] = random.pick(USER_AGENTS)
  if (atOffice) {
    const [ip, location, asn] = random.pick(OFFICES)
    return { ip, userAgent, clientApp, browser, os, location, asn }
  }
  const [location, asn] = random.pick(HOME_LOCATIONS)
  return { ip: homeIp(random), userAgent, clientApp, browser, os, location, asn }
}

export function makeUsers(random: Random, count: number): User[] {
  const taken = new Set<string>()
  const users: User[] = []
  for (let i = 0; i < count; i++) {
    const first = random.pick(FIRST)
    const last = random.pick(LAST)
    let local = `${first}.${last}`
    for (let n = 2; taken.has(local); n++) local = `${first}.${last}${n}`
    taken.add(local)
    const devices = Array.from({ length: random.int(1, 3) }, (_, d) => device(random, d === 0 && random.chance(0.6)))
    const apps = Array.from({ length: random.int(2, 4) }, () => random.pick(APPS.slice(0, 8)))
    const displayName = `${first[0].toUpperCase()}${first.slice(1)} ${last[0].toUpperCase()}${last.slice(1)}`
    users.push({ id: random.guid(), displayName, upn: `${local}@${DOMAIN}`, devices, apps })
  }
  return users
}

/** A username an attacker would guess: common name patterns, most of which do not exist. */
export function guessedUsername(random: Random): string {
  const first = random.pick(FIRST)
  const last = random.pick(LAST)
  const pattern = random.int(0, 3)
  const local = pattern === 0 ? `${first}${last[0]}` : pattern === 1 ? `${first[0]}${last}` : pattern === 2 ? `${first}_${last}` : `${last}.${first}`
  return `${local}@${DOMAIN}`
}
