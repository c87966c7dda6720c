import { EXIT_FAILURE } from './cli-error.ts'

/**
 * What happens when stdout or stderr can no longer be written. A reader that stops early
 * (`redis-sessions sessions … | head`) closes the pipe: the next write fails with EPIPE. That is
 * the reader's choice, not a failure: the process ends at once, silently, with the exit code it
 * had already decided — 0, or 1 for a partial result whose failed nodes were already on stderr —
 * as `git log | head` leaves the shell nothing to report. (Node ignores SIGPIPE, so without this
 * an EPIPE is an unhandled 'error' event: a stack trace and exit code 1.) Any other write error
 * is reported on the other stream when it can be, exit code 2.
 */
export function endQuietlyWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: unknown) => {
      if (isClosedOutput(error)) process.exit(exitCodeSoFar())
      const other = stream === process.stdout ? process.stderr : process.stdout
      const name = stream === process.stdout ? 'stdout' : 'stderr'
      const code = errorCode(error) ?? 'unknown error'
      try {
        other.write(`redis-sessions: cannot write to ${name}: ${code}\n`)
      } finally {
        process.exit(EXIT_FAILURE)
      }
    })
  }
}

/** Writes `chunks` to stdout as one write (corked), e.g. a 16 MB JSON Buffer and its newline. */
export function writeOut(...chunks: (string | Uint8Array)[]): void {
  process.stdout.cork()
  for (const chunk of chunks) process.stdout.write(chunk)
  process.stdout.uncork()
}

function isClosedOutput(error: unknown): boolean {
  const code = errorCode(error)
  // ERR_STREAM_DESTROYED: a write queued after the EPIPE that destroyed the stream.
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED'
}

function exitCodeSoFar(): number {
  const code = process.exitCode
  return typeof code === 'number' ? code : typeof code === 'string' ? Number(code) || 0 : 0
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}
