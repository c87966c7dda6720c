/** Properties: signing then verifying round-trips for any parameters; any altered signature fails. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { RpcRequest } from '../protocol/rpc-request.ts'
import type { CredentialRecord } from './credential.ts'
import { buildSignedRequest } from './sign.ts'
import {
  countingNonceStore,
  fixedLookup,
  TEST_NOW,
  toRpcRequest,
  verifyAt,
} from './test-support.ts'

const KEY: CredentialRecord = { accessKeyId: 'AK1', secret: 's1', status: 'Active', userName: 'u' }
const RESERVED = [...'!\'()*~&=/+% ?#;,:@[]"<>\\^`{|}é中😀\u0000\n']

// Keys are PascalCase-like words (V3 key encoding differs between SDKs only outside [A-Za-z0-9._~-]);
// values are any text: unicode, reserved characters, empty.
const key = fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,11}$/)
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...RESERVED, 'a', 'Z', '0', '-') }),
  fc.string({ unit: 'grapheme' })
)
const COMMON = new Set([
  'Action',
  'Version',
  'Format',
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'Timestamp',
  'SecurityToken',
])
const params = fc.dictionary(
  key.filter((k) => !COMMON.has(k)),
  text,
  { maxKeys: 6 }
)
// V3 sends the nonce as a header: printable ASCII without surrounding blanks (HTTP trims them).
const headerSafeNonce = fc.stringMatching(/^[!-~]([ -~]{0,62}[!-~])?$/)
const scheme = fc.constantFrom('V1-GET', 'V1-POST', 'V3-POST', 'V3-GET')

function sign(kind: string, business: Record<string, string>, nonce: string): RpcRequest {
  const [schemeName, method] = kind.split('-')
  return toRpcRequest(
    buildSignedRequest({
      endpoint: 'http://127.0.0.1:8080',
      scheme: schemeName === 'V3' ? 'V3' : 'V1',
      method: method === 'GET' ? 'GET' : 'POST',
      action: 'GetRedisAllSession',
      params: business,
      accessKeyId: 'AK1',
      accessKeySecret: 's1',
      now: TEST_NOW,
      nonce,
    })
  )
}

/** `req` with character `index` of its signature replaced by `replacement`. */
function alterSignature(
  req: RpcRequest,
  index: number,
  replacement: string
): RpcRequest | undefined {
  const auth = req.headers['authorization']
  if (typeof auth === 'string') {
    const at = auth.indexOf('Signature=') + 'Signature='.length
    const i = at + (index % (auth.length - at))
    if (auth[i] === replacement) return undefined
    return {
      ...req,
      headers: {
        ...req.headers,
        authorization: auth.slice(0, i) + replacement + auth.slice(i + 1),
      },
    }
  }
  const source = req.query === '' ? req.body.toString() : req.query
  const decoded = new URLSearchParams(source).get('Signature') ?? ''
  const i = index % decoded.length
  if (decoded[i] === replacement) return undefined
  const altered = decoded.slice(0, i) + replacement + decoded.slice(i + 1)
  const rebuilt = source.replace(/Signature=[^&]*$/, `Signature=${encodeURIComponent(altered)}`)
  return req.query === '' ? { ...req, body: Buffer.from(rebuilt) } : { ...req, query: rebuilt }
}

describe('sign → verifySignature', () => {
  it('round-trips for any parameters and values, in both schemes', async () => {
    await fc.assert(
      fc.asyncProperty(scheme, params, headerSafeNonce, async (kind, business, nonce) => {
        const caller = await verifyAt(sign(kind, business, nonce), fixedLookup([KEY]))
        assert.equal(caller.scheme, kind.slice(0, 2))
      }),
      { numRuns: 300 }
    )
  })

  it('fails when any character of the signature is changed', async () => {
    const hexOrBase64 = fc.constantFrom(...'0123456789abcdefABCDEF+/=xyz')
    await fc.assert(
      fc.asyncProperty(
        scheme,
        params,
        fc.nat(),
        hexOrBase64,
        async (kind, business, index, char) => {
          const altered = alterSignature(sign(kind, business, 'n'), index, char)
          fc.pre(altered !== undefined)
          await assert.rejects(verifyAt(altered, fixedLookup([KEY]), countingNonceStore()), {
            code: 'SignatureDoesNotMatch',
          })
        }
      ),
      { numRuns: 300 }
    )
  })
})
