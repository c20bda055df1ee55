/**
 * Applications and resources as Entra logs them. The first-party app ids are Microsoft's real,
 * public ones (so the demo reads like a real tenant and matches public detections such as the
 * Sigma rule on Azure AD PowerShell); the governance connector is a made-up app registration.
 */

export interface App {
  id: string
  name: string
}

export interface Resource {
  id: string
  name: string
}

export const APPS = {
  office: { id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', name: 'Microsoft Office' },
  officeHome: { id: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' },
  teams: { id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Microsoft Teams' },
  outlookMobile: { id: '27922004-5251-4030-b22d-91ecd9a37ea4', name: 'Outlook Mobile' },
  oneDriveSync: { id: 'ab9b8c07-8f02-4f72-87fa-80105867a763', name: 'OneDrive SyncEngine' },
  authBroker: { id: '29d9ed98-a469-4536-ade2-f981bc1d605e', name: 'Microsoft Authentication Broker' },
  windowsSignIn: { id: '38aa3b87-a06d-4817-b275-7a316988d93b', name: 'Windows Sign In' },
  azurePortal: { id: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', name: 'Azure Portal' },
  mySignins: { id: '19db86c3-b2b9-44cc-b339-36da233a3be2', name: 'My Signins' },
  // The clients enumeration tools borrow: ROPC needs a public client that Entra already trusts.
  aadPowerShell: { id: '1b730954-1685-4b74-9bfd-dac224a7b894', name: 'Azure Active Directory PowerShell' },
  azureCli: { id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', name: 'Microsoft Azure CLI' },
  entraConnect: { id: 'cb1056e2-e479-49de-ae31-7812af012ed8', name: 'Microsoft Azure Active Directory Connect' },
  accessReviewConnector: { id: '6f0c2a5e-3b1d-4c8e-9f27-5a6b7c8d9e10', name: 'Contoso Access Certification Connector' },
} as const satisfies Record<string, App>

export const RESOURCES = {
  graph: { id: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph' },
  aadGraph: { id: '00000002-0000-0000-c000-000000000000', name: 'Windows Azure Active Directory' },
  exchange: { id: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' },
  sharePoint: { id: '00000003-0000-0ff1-ce00-000000000000', name: 'Office 365 SharePoint Online' },
  teamsService: { id: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', name: 'Microsoft Teams Services' },
  azureManagement: { id: '797f4846-ba00-4fd7-ba43-dac1f8f63013', name: 'Windows Azure Service Management API' },
} as const satisfies Record<string, Resource>

/** Which resource an app usually asks a token for. */
export const USUAL_RESOURCES: ReadonlyMap<string, readonly Resource[]> = new Map<string, readonly Resource[]>([
  [APPS.office.id, [RESOURCES.exchange, RESOURCES.sharePoint, RESOURCES.graph]],
  [APPS.officeHome.id, [RESOURCES.graph, RESOURCES.aadGraph]],
  [APPS.teams.id, [RESOURCES.teamsService, RESOURCES.graph, RESOURCES.sharePoint]],
  [APPS.outlookMobile.id, [RESOURCES.exchange, RESOURCES.graph]],
  [APPS.oneDriveSync.id, [RESOURCES.sharePoint]],
  [APPS.authBroker.id, [RESOURCES.graph, RESOURCES.aadGraph]],
  [APPS.windowsSignIn.id, [RESOURCES.aadGraph]],
  [APPS.azurePortal.id, [RESOURCES.azureManagement, RESOURCES.graph]],
  [APPS.mySignins.id, [RESOURCES.graph]],
])

export function usualResources(app: App): readonly Resource[] {
  return USUAL_RESOURCES.get(app.id) ?? [RESOURCES.graph]
}
