/**
 * Which codes of docs/errors.md the tests of this folder provoke outside the SDK and raw case
 * tables, and which code × client family no official client can be made to send, with the
 * reason. sdk-errors.test.ts checks that together they cover every documented code, and that
 * every code × family is either provoked through that client or listed in {@link SDK_GAPS}.
 */
import { readFile } from 'node:fs/promises'
import { FAMILIES, type Family } from './families.ts'

/**
 * Codes server-faults.test.ts provokes on a server of its own (a tiny nonce store, a wrong
 * master key, the sign-in throttle, a per-action limit, HTTPS required, a closing server), and
 * the families each test sends it through; that file has one test per entry. The sign-in
 * throttle is not an RPC call (a console JSON POST): `Throttling.User` reaches the SDKs through
 * the per-AccessKey limit of sdk-steered-cases.ts instead.
 */
export const SERVER_FAULT_FAMILIES = {
  Throttling: FAMILIES,
  'Throttling.User': [],
  InternalError: FAMILIES,
  'Throttling.API': FAMILIES,
  'InvalidProtocol.NeedSsl': FAMILIES,
  ServiceUnavailable: FAMILIES,
} as const satisfies Record<string, readonly Family[]>

export type ServerFaultCode = keyof typeof SERVER_FAULT_FAMILIES

export const SERVER_FAULT_CODES = Object.keys(SERVER_FAULT_FAMILIES) as ServerFaultCode[]

const V1_HAS_NO_BODY_HASH =
  'a V1 client sends no x-acs-content-sha256: V1 signs the parameters, not a hash of the body'
const V3_HASHES_WHAT_IT_SENDS =
  'the client hashes the bytes it sends and sets x-acs-content-sha256 after spreading the caller’s headers: a caller’s copy is overwritten, a differently cased one is signed beside it and fails as SignatureDoesNotMatch, an ACS3-HMAC-SM3 hash fails first as InvalidSignatureMethod'

/**
 * Code × family that no official client can be made to send, and why (the client's source, as
 * installed). A code listed here for a family must not also be provoked through it, and a code
 * that no test provokes through a family must be listed: a gap is never silent.
 */
export const SDK_GAPS: Readonly<Record<string, Readonly<Partial<Record<Family, string>>>>> = {
  RequestBodyTooLarge: {
    'pop-core GET':
      'a GET has no body: pop-core puts every parameter in the URL, and a URL over Node’s 16 KiB header limit is refused as InvalidParameter.Format before any body is read',
  },
  UnsupportedHTTPMethod: {
    'pop-core POST':
      'pop-core sends its form body only for opts.method === "POST" exactly (lib/rpc.js:216,228); any other method is the GET shape, covered as pop-core GET',
  },
  InvalidSignatureMethod: {
    'openapi-client v2':
      'doRPCRequest sets SignatureMethod=HMAC-SHA1 after spreading the caller’s query (src/client.ts:687), and signatureAlgorithm "v2" is what selects this family; a second SignatureMethod in the body is InvalidParameter.Duplicate',
  },
  'InvalidContentSha256.Mismatch': {
    'pop-core GET': V1_HAS_NO_BODY_HASH,
    'pop-core POST': V1_HAS_NO_BODY_HASH,
    'openapi-client v2': V1_HAS_NO_BODY_HASH,
    'openapi-client V3': `${V3_HASHES_WHAT_IT_SENDS} (src/client.ts:1378)`,
    'openapi-core V3': `${V3_HASHES_WHAT_IT_SENDS} (src/client.ts:1092)`,
  },
}

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
