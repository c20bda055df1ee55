export async function loadDemoDataset(_name: string): Promise<never> {
  throw new Error('TODO')
}
