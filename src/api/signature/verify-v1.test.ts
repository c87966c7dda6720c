/** verifySignature on V1 requests: every V1-specific error path (protocol.md §2, §9). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeParams, resolveAction } from '../protocol/params.ts'
import type { RpcRequest } from '../protocol/rpc-request.ts'
import type { CredentialRecord } from './credential.ts'
import { buildSignedRequest, encodeForm, signV1 } from './sign.ts'
import {
  countingNonceStore,
  fixedLookup,
  TEST_NOW,
  toRpcRequest,
  verifyAt,
} from './test-support.ts'

const KEY: CredentialRecord = {
  accessKeyId: 'AK1',
  secret: 's3cret',
  status: 'Active',
  userName: 'alice',
}
const lookup = () => fixedLookup([KEY])

function v1(method: 'GET' | 'POST' = 'GET', params = { InstanceId: 'r-1' }): RpcRequest {
  const signed = buildSignedRequest({
    endpoint: 'http://127.0.0.1:8080',
    scheme: 'V1',
    method,
    action: 'GetRedisAllSession',
    params,
    accessKeyId: 'AK1',
    accessKeySecret: 's3cret',
    now: TEST_NOW,
    nonce: 'n-1',
  })
  return toRpcRequest(signed)
}

/** A GET request whose query is `params` re-signed with `secret` (after `edit`). */
function v1With(edit: (params: Record<string, string>) => void, secret = 's3cret'): RpcRequest {
  const params: Record<string, string> = Object.fromEntries(new URLSearchParams(v1().query))
  delete params['Signature']
  edit(params)
  params['Signature'] = signV1(params, 'GET', secret)
  return { ...v1(), query: encodeForm(params) }
}

describe('verifySignature V1', () => {
  it('accepts GET and form POST requests', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const caller = await verifyAt(v1(method), lookup())
      assert.deepEqual(caller, {
        accessKeyId: 'AK1',
        userName: 'alice',
        scheme: 'V1',
        temporary: false,
        mfaPresent: false,
      })
    }
  })

  it('signs with the received method upper-cased', async () => {
    await verifyAt({ ...v1('GET'), method: 'get' }, lookup())
    await assert.rejects(verifyAt({ ...v1('GET'), method: 'POST' }, lookup()), {
      code: 'SignatureDoesNotMatch',
    })
  })

  it('is IncompleteSignature without any signature', async () => {
    const req = v1With((p) => p)
    const unsigned = { ...req, query: req.query.replace(/&Signature=[^&]*/, '') }
    await assert.rejects(verifyAt(unsigned, lookup()), { code: 'IncompleteSignature' })
    const bearer = { ...unsigned, headers: { ...unsigned.headers, authorization: 'Bearer x' } }
    await assert.rejects(verifyAt(bearer, lookup()), { code: 'IncompleteSignature' })
  })

  for (const name of [
    'AccessKeyId',
    'SignatureMethod',
    'SignatureVersion',
    'SignatureNonce',
    'Timestamp',
    'Action',
    'Version',
  ]) {
    it(`is Missing${name} without ${name} (or with it empty)`, async () => {
      await assert.rejects(
        verifyAt(
          v1With((p) => delete p[name]),
          lookup()
        ),
        { code: `Missing${name}` }
      )
      await assert.rejects(
        verifyAt(
          v1With((p) => (p[name] = '')),
          lookup()
        ),
        { code: `Missing${name}` }
      )
    })
  }

  it('is MissingSignature when Signature is empty', async () => {
    const req = v1()
    const query = req.query.replace(/Signature=[^&]*$/, 'Signature=')
    await assert.rejects(verifyAt({ ...req, query }, lookup()), { code: 'MissingSignature' })
  })

  it('is InvalidSignatureMethod for anything but HMAC-SHA1', async () => {
    for (const method of ['HMAC-SHA256', 'hmac-sha1']) {
      const req = v1With((p) => (p['SignatureMethod'] = method))
      await assert.rejects(verifyAt(req, lookup()), { code: 'InvalidSignatureMethod' })
    }
  })

  it('is IncompleteSignature for a SignatureVersion other than 1.0', async () => {
    const req = v1With((p) => (p['SignatureVersion'] = '2.0'))
    await assert.rejects(verifyAt(req, lookup()), { code: 'IncompleteSignature' })
  })

  it('is InvalidParameter.Format for a nonce over 128 characters', async () => {
    await verifyAt(
      v1With((p) => (p['SignatureNonce'] = 'n'.repeat(128))),
      lookup()
    )
    const req = v1With((p) => (p['SignatureNonce'] = 'n'.repeat(129)))
    await assert.rejects(verifyAt(req, lookup()), { code: 'InvalidParameter.Format' })
  })

  it('quotes the server string to sign when the signature does not match', async () => {
    const req = v1With((p) => p, 'wrong')
    await assert.rejects(verifyAt(req, lookup()), (error: unknown) => {
      assert.ok(error instanceof Error && 'code' in error)
      assert.equal(error.code, 'SignatureDoesNotMatch')
      assert.match(
        error.message,
        /^Specified signature does not match our calculation\. server string to sign is:GET&%2F&AccessKeyId%3DAK1%26/
      )
      return true
    })
  })

  it('is SignatureDoesNotMatch when a signed parameter is changed or added', async () => {
    const req = v1()
    const changed = { ...req, query: req.query.replace('InstanceId=r-1', 'InstanceId=r-2') }
    await assert.rejects(verifyAt(changed, lookup()), { code: 'SignatureDoesNotMatch' })
    const added = { ...req, query: `${req.query}&RegionId=x` }
    await assert.rejects(verifyAt(added, lookup()), { code: 'SignatureDoesNotMatch' })
  })

  it('covers the form body of a POST', async () => {
    const req = v1('POST')
    const body = Buffer.from(req.body.toString().replace('InstanceId=r-1', 'InstanceId=r-2'))
    await assert.rejects(verifyAt({ ...req, body }, lookup()), { code: 'SignatureDoesNotMatch' })
  })

  it('takes the action from the signed parameter, not the unsigned x-acs-action header', async () => {
    const req = v1()
    const headers = { ...req.headers, 'x-acs-action': 'KillInstanceAllSession' }
    await verifyAt({ ...req, headers }, lookup(), countingNonceStore())
    const params = decodeParams(req)
    assert.equal(resolveAction(params, headers).action, 'GetRedisAllSession')
  })
})
