/**
 * The `skip` option of a suite that needs a tool the machine may lack (PostgreSQL, nginx,
 * script(1)): on a developer's machine without it the suite is skipped with the reason; in CI
 * (`CI` set, as `.ci/run` runs) it runs anyway and fails on the missing tool, so a green CI
 * can never hide a suite that did not run.
 */
export function skipOutsideCi(reason: string | undefined | false): string | false {
  if (reason === undefined || reason === false) return false
  return process.env['CI'] === undefined || process.env['CI'] === '' ? reason : false
}
