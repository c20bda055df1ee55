/**
 * Client software as the sign-in log describes it: the user agent string with the client app
 * category and the device details Entra derives from it.
 */

export const CLIENT_APP = {
  browser: 'Browser',
  modern: 'Mobile Apps and Desktop clients',
} as const

export interface ClientSoftware {
  userAgent: string
  clientAppUsed: string
  operatingSystem: string
  browser: string
}

function browser(userAgent: string, operatingSystem: string, name: string): ClientSoftware {
  return { userAgent, clientAppUsed: CLIENT_APP.browser, operatingSystem, browser: name }
}

function desktop(userAgent: string, operatingSystem: string): ClientSoftware {
  return { userAgent, clientAppUsed: CLIENT_APP.modern, operatingSystem, browser: '' }
}

export const WINDOWS_BROWSERS: readonly ClientSoftware[] = [
  browser('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80', 'Windows10', 'Edge 124.0.2478'),
  browser('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.2535.51', 'Windows10', 'Edge 125.0.2535'),
  browser('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 'Windows10', 'Chrome 124.0.0'),
  browser('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0', 'Windows10', 'Firefox 126.0'),
]

export const MAC_BROWSERS: readonly ClientSoftware[] = [
  browser('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15', 'MacOs', 'Safari 17.4.1'),
  browser('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 'MacOs', 'Chrome 124.0.0'),
]

export const WINDOWS_DESKTOP: readonly ClientSoftware[] = [
  desktop('Mozilla/5.0 (compatible; MSAL 1.0) PKeyAuth/1.0', 'Windows10'),
  desktop('Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)', 'Windows10'),
]

export const MAC_DESKTOP: readonly ClientSoftware[] = [
  desktop('Microsoft Office/16.0 (Macintosh; Mac OS X 14.4.1; Microsoft Outlook 16.84)', 'MacOs'),
  desktop('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Teams/24074.2321.2810.3500', 'MacOs'),
]

export const WINDOWS_SIGN_IN: ClientSoftware = desktop('Windows-AzureAD-Authentication-Provider/1.0', 'Windows10')

export const MOBILE_CLIENTS: readonly ClientSoftware[] = [
  desktop('Outlook-iOS/709.2226530.prod.iphone (4.2418.0)', 'Ios'),
  desktop('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 TeamsMobile-iOS', 'Ios'),
  desktop('Outlook-Android/2.0', 'Android'),
  desktop('Dalvik/2.1.0 (Linux; U; Android 14; SM-S921B Build/UP1A.231005.007) TeamsMobile-Android', 'Android'),
]

/** Tool fingerprints (docs/reference/signin-formats.md §6). */
export const TOOL_USER_AGENTS = {
  // MSOLSpray and TeamFiltration send this bare string; the Sigma rule keys on it.
  msolSpray: 'Mozilla/5.0',
  pythonRequests: 'python-requests/2.31.0',
  pythonRequestsOld: 'python-requests/2.25.1',
  goHttp: 'Go-http-client/1.1',
  curl: 'curl/8.5.0',
  javaHttp: 'Java-http-client/17.0.10',
  // A pen-test kit that pins one plausible desktop browser string.
  pinnedChrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
} as const

/** Browser strings a spray tool picks from at random to break per-user-agent grouping. */
export const ROTATION_USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 Edg/121.0.2277.83',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:122.0) Gecko/20100101 Firefox/122.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/117.0.0.0 Safari/537.36 OPR/103.0.0.0',
]
