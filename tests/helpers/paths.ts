import path from 'node:path'

export const repoRoot = path.resolve(import.meta.dirname, '..', '..')
/** ../shared beside the project root: the formats spec, the real export and the format samples. */
export const sharedDir = path.resolve(repoRoot, '..', 'shared')
export const formatSamplesDir = path.join(sharedDir, 'datasets', 'format-samples')
export const realExportPath = path.join(sharedDir, 'datasets', 'entra-signin', 'azure-sentinel-training-lab_sign-in_adelete.csv')
