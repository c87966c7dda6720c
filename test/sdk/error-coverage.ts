/**
 * Which codes of docs/errors.md the tests of this folder provoke, and which they cannot yet, with
 * why: sdk-errors.test.ts checks that together they list every documented code exactly once.
 */
import { readFile } from 'node:fs/promises'

/** Codes no request can provoke yet; each with the reason (the gap stays visible). */
export const NOT_REACHABLE_YET: ReadonlyArray<{ code: string; reason: string }> = [
  {
    code: 'InvalidProtocol.NeedSsl',
    reason: 'no setting makes the server require HTTPS yet, so nothing raises it',
  },
  {
    code: 'Forbidden.AccessKeyDisabled',
    reason: 'reserved wording: a disabled key answers InvalidAccessKeyId.Inactive (covered)',
  },
  {
    code: 'Forbidden.RAM',
    reason: 'reserved gateway wording: every RAM denial answers NoPermission (covered)',
  },
  {
    code: 'Throttling.API',
    reason: 'no per-action rate limit is implemented yet',
  },
  {
    code: 'ServiceUnavailable',
    reason:
      'nothing raises it: a closed store answers InternalError, and during shutdown Fastify ' +
      'answers its own non-Alibaba 503 body (server-faults.test.ts, todo)',
  },
]

/**
 * Codes server-faults.test.ts provokes on a server of its own (a tiny nonce store, a wrong
 * master key, the sign-in throttle); that file has one test per entry.
 */
export const SERVER_FAULT_CODES = ['Throttling', 'Throttling.User', 'InternalError'] as const

/** One row of the docs/errors.md table. */
export interface DocumentedCode {
  readonly code: string
  readonly httpStatus: number
}

/** The codes and HTTP statuses of the table in docs/errors.md. */
export async function readDocumentedCodes(): Promise<DocumentedCode[]> {
  const text = await readFile(new URL('../../docs/errors.md', import.meta.url), 'utf8')
  const rows: DocumentedCode[] = []
  for (const line of text.split('\n')) {
    const match = /^\|\s*`([^`]+)`\s*\|\s*(\d{3})\s*\|/.exec(line)
    if (match?.[1] !== undefined && match[2] !== undefined) {
      rows.push({ code: match[1], httpStatus: Number(match[2]) })
    }
  }
  return rows
}
