/**
 * Fuzz of what src/api/signature/*.property.test.ts does not cover: malformed input to the
 * verifier itself. Correctly signed V1/V3 requests with random damage (headers dropped, replaced,
 * duplicated; Authorization fields mangled; parameters removed or set to junk; time stamps and
 * nonces of every shape), and wholly random requests. The verifier (with the parameter decoder in
 * front) may only reject with an ApiError whose code is in docs/errors.md, never anything else.
 * Seeded; prints how many inputs were tried.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import fc from 'fast-check'
import { ApiError } from '../../src/api/errors/api-error.ts'
import { decodeParams, resolveAction } from '../../src/api/protocol/params.ts'
import type { RpcRequest } from '../../src/api/protocol/rpc-request.ts'
import { sha256Hex } from '../../src/api/signature/canonicalize-v3.ts'
import type { CredentialRecord } from '../../src/api/signature/credential.ts'
import { buildSignedRequest } from '../../src/api/signature/sign.ts'
import {
  countingNonceStore,
  fixedLookup,
  TEST_NOW,
  toRpcRequest,
  verifyAt,
} from '../../src/api/signature/test-support.ts'
import { readDocumentedCodes } from '../sdk/error-coverage.ts'

const SEED = 20_260_508
const KEY: CredentialRecord = { accessKeyId: 'AK1', secret: 's1', status: 'Active', userName: 'u' }
const TEMP: CredentialRecord = {
  accessKeyId: 'STS.1',
  secret: 's2',
  status: 'Active',
  userName: 'u',
  securityTokenSha256: sha256Hex('token'),
  expiresAt: new Date(TEST_NOW.getTime() + 60_000),
}

const junk = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', ' ', '%', '%zz', '\u0000', 'ACS3-HMAC-SHA256', '2024-01-01T00:00:00Z'),
  fc.constantFrom(
    '2024-13-01T00:00:00Z',
    '1999-01-01T00:00:00Z',
    'HMAC-SHA1',
    '1.0',
    'x'.repeat(9000)
  )
)
const headerName = fc.oneof(
  fc.constantFrom('authorization', 'host', 'content-type', 'x-acs-action', 'x-acs-version'),
  fc.constantFrom('x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'),
  fc.constantFrom('x-acs-security-token', 'x-acs-accesskey-id', 'x-acs-other'),
  fc.stringMatching(/^[a-z-]{1,12}$/)
)
const paramName = fc.constantFrom(
  ...['Action', 'Version', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion'],
  ...['SignatureNonce', 'Timestamp', 'SecurityToken', 'InstanceId', 'Format', 'Other']
)

/** One damage to apply to a signed request. */
const damage = fc.oneof(
  fc.record({ kind: fc.constant('setHeader' as const), name: headerName, value: junk }),
  fc.record({ kind: fc.constant('dropHeader' as const), name: headerName }),
  fc.record({ kind: fc.constant('twiceHeader' as const), name: headerName, value: junk }),
  fc.record({
    kind: fc.constant('authField' as const),
    field: fc.constantFrom('Credential', 'SignedHeaders', 'Signature', 'Bogus'),
    value: fc.option(junk),
  }),
  fc.record({ kind: fc.constant('setParam' as const), name: paramName, value: junk }),
  fc.record({ kind: fc.constant('dropParam' as const), name: paramName }),
  fc.record({ kind: fc.constant('method' as const), value: fc.constantFrom('get', 'PUT', 'POST') })
)

type Damage = typeof damage extends fc.Arbitrary<infer T> ? T : never

function applyDamage(req: RpcRequest, d: Damage): RpcRequest {
  const headers: Record<string, string | string[] | undefined> = { ...req.headers }
  switch (d.kind) {
    case 'setHeader':
      headers[d.name] = d.value
      return { ...req, headers }
    case 'dropHeader':
      headers[d.name] = undefined
      return { ...req, headers }
    case 'twiceHeader': {
      const current = headers[d.name]
      headers[d.name] = [typeof current === 'string' ? current : '', d.value]
      return { ...req, headers }
    }
    case 'authField': {
      const auth = typeof headers['authorization'] === 'string' ? headers['authorization'] : ''
      const pattern = new RegExp(`${d.field}=[^,]*`)
      headers['authorization'] =
        d.value === null
          ? auth.replace(pattern, '')
          : pattern.test(auth)
            ? auth.replace(pattern, `${d.field}=${d.value}`)
            : `${auth},${d.field}=${d.value}`
      return { ...req, headers }
    }
    case 'setParam':
    case 'dropParam': {
      const inBody = req.query === ''
      const params = new URLSearchParams(inBody ? req.body.toString('utf8') : req.query)
      if (d.kind === 'setParam') params.set(d.name, d.value)
      else params.delete(d.name)
      const text = params.toString()
      return inBody ? { ...req, body: Buffer.from(text) } : { ...req, query: text }
    }
    case 'method':
      return { ...req, method: d.value }
  }
}

void describe('signature verifier fuzz: only documented ApiErrors', () => {
  let documented = new Set<string>()
  before(async () => {
    documented = new Set((await readDocumentedCodes()).map((c) => c.code))
  })

  /** Runs the decoder and verifier; returns `ok` or the error code, failing on anything else. */
  async function outcome(req: RpcRequest): Promise<string> {
    try {
      await verifyAt(req, fixedLookup([KEY, TEMP]), countingNonceStore())
    } catch (error) {
      assert.ok(error instanceof ApiError, `not an ApiError: ${String(error)}`)
      assert.ok(documented.has(error.catalogCode), `undocumented ${error.code}`)
      return error.code
    }
    // Verified: then what the action will read is exactly what was signed.
    const params = decodeParams(req)
    assert.equal(params.get('InstanceId'), 'r-x', 'a changed InstanceId verified')
    assert.deepEqual(resolveAction(params, req.headers), {
      action: 'GetRedisAllSession',
      version: '2020-01-16',
    })
    return 'ok'
  }

  void it('signed requests with random damage: ok or a documented rejection', async () => {
    const counts = new Map<string, number>()
    const signed = fc.record({
      scheme: fc.constantFrom<'V1' | 'V3'>('V1', 'V3'),
      method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
      temporary: fc.boolean(),
    })
    let tried = 0
    await fc.assert(
      fc.asyncProperty(signed, fc.array(damage, { minLength: 1, maxLength: 4 }), async (s, ds) => {
        tried++
        const key = s.temporary ? TEMP : KEY
        const request = buildSignedRequest({
          endpoint: 'http://127.0.0.1:8080',
          scheme: s.scheme,
          method: s.method,
          action: 'GetRedisAllSession',
          params: { InstanceId: 'r-x' },
          accessKeyId: key.accessKeyId,
          accessKeySecret: key.secret,
          ...(s.temporary ? { securityToken: 'token' } : {}),
          now: TEST_NOW,
        })
        const damaged = ds.reduce(applyDamage, toRpcRequest(request))
        const code = await outcome(damaged)
        counts.set(code, (counts.get(code) ?? 0) + 1)
      }),
      { numRuns: 4000, seed: SEED }
    )
    const summary = [...counts].map(([k, n]) => `${k}=${n}`).join(' ')
    process.stdout.write(`# signature fuzz (damaged): ${tried} inputs; ${summary}\n`)
    assert.ok(counts.size >= 8, `many different rejections, got ${summary}`)
  })

  void it('wholly random requests: a documented rejection', async () => {
    const random = fc.record({
      method: fc.constantFrom('GET', 'POST', 'get'),
      query: fc.array(fc.tuple(paramName, junk), { maxLength: 10 }),
      headers: fc.dictionary(headerName, junk, { maxKeys: 8 }),
      body: fc.uint8Array({ maxLength: 200 }),
    })
    let tried = 0
    await fc.assert(
      fc.asyncProperty(random, async (r) => {
        tried++
        const query = r.query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')
        const req: RpcRequest = {
          method: r.method,
          path: '/',
          query,
          headers: { ...r.headers },
          body: Buffer.from(r.body),
          contentType: r.headers['content-type'],
          sourceIp: '127.0.0.1',
          secure: false,
        }
        assert.notEqual(await outcome(req), 'ok')
      }),
      { numRuns: 3000, seed: SEED + 1 }
    )
    process.stdout.write(`# signature fuzz (random): ${tried} inputs\n`)
  })
})
