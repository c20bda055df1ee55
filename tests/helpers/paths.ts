import path from 'node:path'

export const repoRoot = path.resolve(import.meta.dirname, '..', '..')
/** Test data kept in the repository (tests/fixtures/README.md says what each set is and where it comes from). */
export const fixturesDir = path.join(repoRoot, 'tests', 'fixtures')
/** One synthetic incident rendered in every source format (tests/fixtures/format-samples/README.md). */
export const formatSamplesDir = path.join(fixturesDir, 'format-samples')
/** A real, public Log Analytics export (tests/fixtures/entra-signin/README.md: source and licence). */
export const realExportPath = path.join(fixturesDir, 'entra-signin', 'azure-sentinel-training-lab_sign-in_adelete.csv')
