/** Exit codes of every command (issue #2): 0 success, 1 partial result, 2 failure. */
export const EXIT_OK = 0
export const EXIT_PARTIAL = 1
export const EXIT_FAILURE = 2

/** A usage or runtime failure reported as one line on stderr, exit code 2. */
export class CliError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CliError'
  }
}

/** Parses an integer option ≥ `min`, or fails naming the option. */
export function parseIntegerOption(option: string, value: string, min: number): number {
  const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    throw new CliError(`${option} must be an integer ≥ ${min}, got "${value.slice(0, 40)}"`)
  }
  return parsed
}
