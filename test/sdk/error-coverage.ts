/**
 * Which codes of docs/errors.md the tests of this folder provoke outside the SDK and raw case
 * tables: sdk-errors.test.ts checks that together they cover every documented code.
 */
import { readFile } from 'node:fs/promises'

/**
 * Codes server-faults.test.ts provokes on a server of its own (a tiny nonce store, a wrong
 * master key, the sign-in throttle, a per-action limit, HTTPS required, a closing server); that
 * file has one test per entry.
 */
export const SERVER_FAULT_CODES = [
  'Throttling',
  'Throttling.User',
  'InternalError',
  'Throttling.API',
  'InvalidProtocol.NeedSsl',
  'ServiceUnavailable',
] as const

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
