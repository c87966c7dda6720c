import { ConfigError } from '../config/load-config.ts'
import { CoreError } from '../core/errors.ts'
import { InvalidFilterError } from '../core/filter/session-filter.ts'

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

/** An error as the one line an operator reads: never a stack trace, never two lines. */
export function describeError(error: unknown): string {
  if (
    error instanceof CliError ||
    error instanceof CoreError ||
    error instanceof InvalidFilterError ||
    error instanceof ConfigError
  ) {
    return error.message.replace(/\s*\n\s*/g, '; ')
  }
  const first = error instanceof Error ? (error.message.split('\n', 1)[0] ?? '') : String(error)
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    // Node's system errors already start with their code ("ENOENT: no such file …").
    return first.startsWith(`${error.code}:`) ? first : `${error.code}: ${first}`
  }
  // Unexpected: one line, never a stack trace (which could carry connection details).
  return `unexpected error: ${first}`
}

/** Reads a file an option names, or fails naming the option and the reason (`ENOENT`). */
export function readOptionFile(
  option: string,
  file: string,
  read: (file: string) => string
): string {
  try {
    return read(file)
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable'
    throw new CliError(`cannot read ${option} ${file}: ${describeFileError(code)}`)
  }
}

function describeFileError(code: string): string {
  const what: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EISDIR: 'it is a directory',
  }
  return what[code] === undefined ? code : `${what[code]} (${code})`
}
