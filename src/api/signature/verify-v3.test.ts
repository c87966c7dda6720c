/** verifySignature on V3 requests: every V3-specific error path (protocol.md §3, §9). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sha256Hex } from './canonicalize-v3.ts'
import type { CredentialRecord } from './credential.ts'
import { buildSignedRequest, signV3 } from './sign.ts'
import { fixedLookup, TEST_NOW, toRpcRequest, verifyAt } from './test-support.ts'
import type { RpcRequest } from '../protocol/rpc-request.ts'
import { decodeParams } from '../protocol/params.ts'

const KEY: CredentialRecord = {
  accessKeyId: 'AK1',
  secret: 's3cret',
  status: 'Active',
  userName: 'alice',
}
const lookup = () => fixedLookup([KEY])
const FORM = 'application/x-www-form-urlencoded'

function v3(): RpcRequest {
  const signed = buildSignedRequest({
    endpoint: 'http://127.0.0.1:8080',
    scheme: 'V3',
    action: 'GetRedisAllSession',
    params: { InstanceId: 'r-1', ConsoleContext: "a b+c!'()*~&=/é中" },
    accessKeyId: 'AK1',
    accessKeySecret: 's3cret',
    now: TEST_NOW,
  })
  return toRpcRequest(signed)
}

/** `req` with its headers changed by `edit`, then re-signed (with `secret`) like a client would. */
function resign(
  req: RpcRequest,
  edit: (h: Record<string, string>) => void,
  secret = 's3cret'
): RpcRequest {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string' && name !== 'authorization') headers[name] = value
  }
  edit(headers)
  const query = Object.fromEntries(decodeParams({ ...req, body: Buffer.alloc(0) }))
  const authorization = signV3(
    { method: req.method, path: req.path, query, headers, body: req.body },
    'AK1',
    secret
  )
  return { ...req, headers: { ...headers, authorization }, contentType: headers['content-type'] }
}

function withAuthorization(req: RpcRequest, authorization: string): RpcRequest {
  return { ...req, headers: { ...req.headers, authorization } }
}

describe('verifySignature V3', () => {
  it('accepts a request built like openapi-core, with a lower-case method too', async () => {
    const caller = await verifyAt(v3(), lookup())
    assert.equal(caller.scheme, 'V3')
    assert.equal(caller.userName, 'alice')
    await verifyAt({ ...v3(), method: 'post' }, lookup())
  })

  it('accepts a signed form body and merges its parameters', async () => {
    const body = Buffer.from('Extra=%2A+x')
    const req = resign({ ...v3(), body }, (h) => {
      h['content-type'] = FORM
      h['x-acs-content-sha256'] = sha256Hex(body)
    })
    await verifyAt(req, lookup())
    assert.equal(decodeParams(req).get('Extra'), '* x')
  })

  it('is InvalidSignatureMethod for another ACS3 algorithm', async () => {
    const auth = String(v3().headers['authorization']).replace('ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3')
    await assert.rejects(verifyAt(withAuthorization(v3(), auth), lookup()), {
      code: 'InvalidSignatureMethod',
    })
  })

  it('is IncompleteSignature for a malformed Authorization', async () => {
    const good = String(v3().headers['authorization'])
    const bad = [
      'ACS3-HMAC-SHA256',
      'ACS3-HMAC-SHA256 ',
      good.replace(/,Signature=[0-9a-f]+/, ''),
      good.replace('Credential=AK1', 'Credential='),
      good.replace('SignedHeaders=', 'SignedHeaders=Host;'),
      good.replace('SignedHeaders=host;', 'SignedHeaders=host;host;'),
      good.replace('Credential=', 'Credential'),
      `${good},Signature=00`,
    ]
    for (const authorization of bad) {
      await assert.rejects(
        verifyAt(withAuthorization(v3(), authorization), lookup()),
        { code: 'IncompleteSignature' },
        authorization
      )
    }
  })

  for (const name of [
    'host',
    'x-acs-action',
    'x-acs-version',
    'x-acs-date',
    'x-acs-content-sha256',
    'x-acs-signature-nonce',
  ]) {
    it(`is IncompleteSignature without ${name}, even when signed consistently`, async () => {
      await assert.rejects(
        verifyAt(
          resign(v3(), (h) => delete h[name]),
          lookup()
        ),
        { code: 'IncompleteSignature' }
      )
    })
  }

  it('is IncompleteSignature when a present host, content-type or x-acs-* header is not signed', async () => {
    const extra: ReadonlyArray<readonly [string, string]> = [
      ['x-acs-retry-attempts', '1'],
      ['content-type', 'text/plain'],
    ]
    for (const [name, value] of extra) {
      const req = v3()
      const unsigned = { ...req, headers: { ...req.headers, [name]: value } }
      await assert.rejects(verifyAt(unsigned, lookup()), { code: 'IncompleteSignature' }, name)
    }
  })

  it('is IncompleteSignature when a signed header is absent', async () => {
    const req = resign(v3(), (h) => (h['x-acs-extra'] = 'x'))
    const { 'x-acs-extra': _, ...headers } = req.headers
    await assert.rejects(verifyAt({ ...req, headers }, lookup()), { code: 'IncompleteSignature' })
  })

  it('is IncompleteSignature when x-acs-accesskey-id differs from the Credential', async () => {
    const req = resign(v3(), (h) => (h['x-acs-accesskey-id'] = 'AK2'))
    await assert.rejects(verifyAt(req, lookup()), { code: 'IncompleteSignature' })
  })

  it('is InvalidContentSha256.Mismatch when the body does not match its hash', async () => {
    const req = { ...v3(), body: Buffer.from('InstanceId=r-2') }
    await assert.rejects(verifyAt(req, lookup()), { code: 'InvalidContentSha256.Mismatch' })
  })

  it('quotes StringToSign and CanonicalRequest when the signature does not match', async () => {
    const req = resign(v3(), () => undefined, 'wrong')
    await assert.rejects(verifyAt(req, lookup()), (error: unknown) => {
      assert.ok(error instanceof Error && 'code' in error)
      assert.equal(error.code, 'SignatureDoesNotMatch')
      assert.match(
        error.message,
        /server StringToSign is \[ACS3-HMAC-SHA256\n[0-9a-f]{64}\] server CanonicalRequest is \[POST\n\/\nConsoleContext=a%20b%2Bc%21%27%28%29%2A~%26%3D%2F%C3%A9%E4%B8%AD&InstanceId=r-1\nhost:127\.0\.0\.1:8080\n/
      )
      return true
    })
  })

  it('is SignatureDoesNotMatch when the query, a signed header or the method changes', async () => {
    const req = v3()
    const tampered: RpcRequest[] = [
      { ...req, query: req.query.replace('InstanceId=r-1', 'InstanceId=r-2') },
      { ...req, query: `${req.query}&RegionId=x` },
      { ...req, headers: { ...req.headers, 'x-acs-action': 'KillInstanceAllSession' } },
      { ...req, headers: { ...req.headers, host: 'evil:80' } },
      { ...req, method: 'GET' },
    ]
    for (const candidate of tampered) {
      await assert.rejects(verifyAt(candidate, lookup()), { code: 'SignatureDoesNotMatch' })
    }
  })

  it('accepts the query however it is encoded, since it is canonicalised from decoded values', async () => {
    const req = v3()
    const raw = req.query.replace(/%2A/g, '*').replace(/%21/g, '!').replace(/%20/g, '+')
    assert.notEqual(raw, req.query)
    await verifyAt({ ...req, query: raw }, lookup())
  })
})
