/** The SDK captures A-D of protocol.md §6, verified as received, with their secrets. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeParams, resolveAction } from '../protocol/params.ts'
import { sha256Hex } from './canonicalize-v3.ts'
import type { CredentialRecord } from './credential.ts'
import { createMemoryNonceStore } from './nonce-store.ts'
import { parseCapture } from './test-support.ts'
import { verifySignature } from './verify-signature.ts'

const CAPTURE_A = `GET /?AccessKeyId=testAccessKeyId&Action=GetRedisAllSession&Format=JSON&InstanceId=r-ok-bp1zxszhcgatnx%2A%2A%2A%2A&RegionId=cn-shanghai&SignatureMethod=HMAC-SHA1&SignatureNonce=85093bf96224c5bd6d1491869aacbc1f&SignatureVersion=1.0&Timestamp=2026-11-28T08%3A53%3A19Z&Version=2020-01-16&Signature=2Zr9JvyrjrXY1EfzhURvXShZydA%3D HTTP/1.1
x-sdk-client: Node.js(v20.20.2), @alicloud/pop-core: 1.8.0
user-agent: AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.8.0
x-acs-action: GetRedisAllSession
x-acs-version: 2020-01-16
Host: 127.0.0.1:18080
Connection: keep-alive

`

const CAPTURE_B = `POST / HTTP/1.1
x-sdk-client: Node.js(v20.20.2), @alicloud/pop-core: 1.8.0
user-agent: AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.8.0
x-acs-action: GetRedisAllSession
x-acs-version: 2020-01-16
content-type: application/x-www-form-urlencoded
Host: 127.0.0.1:18080
Connection: keep-alive
Content-Length: 321

AccessKeyId=testAccessKeyId&Action=GetRedisAllSession&Format=JSON&InstanceId=r-ok-bp1zxszhcgatnx%2A%2A%2A%2A&RegionId=cn-shanghai&SignatureMethod=HMAC-SHA1&SignatureNonce=8ba5172b4779ec910e75f2d9bdb372b3&SignatureVersion=1.0&Timestamp=2026-11-28T08%3A53%3A19Z&Version=2020-01-16&Signature=OOdbHaPv2RGstVuoJ6X%2B5MtKEmI%3D`

const CAPTURE_C = `POST /?InstanceId=r-ok-bp1zxszhcgatnx**** HTTP/1.1
host: 127.0.0.1:18080
x-acs-version: 2020-01-16
x-acs-action: GetRedisAllSession
user-agent: AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.0.1 TeaDSL/2
x-acs-date: 2026-11-28T08:53:20Z
x-acs-signature-nonce: b7fdc7e642e900be3bd8c345accb8aa15dfa83a0f57030f6884c5d7d01e06c5d
accept: application/json
x-acs-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-credentials-provider: static_ak
Authorization: ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=a0dfa165f35d451ac22fc7cafbe005b17779505515a09d23561abd15e94cbb40
Connection: keep-alive
Content-Length: 0

`

const CAPTURE_D = `POST /?InstanceId=r-ok-bp1zxszhcgatnx****&ConsoleContext=a%20b%2Bc!%27()*~%26%3D%2F%C3%A9%E4%B8%AD HTTP/1.1
host: 127.0.0.1:18080
x-acs-version: 2020-01-16
x-acs-action: GetRedisAllSession
user-agent: AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.0.1 TeaDSL/1
x-acs-date: 2026-11-28T08:53:20Z
x-acs-signature-nonce: 3a3f0e1bf42a9c536264731733e673d9
accept: application/json
x-acs-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-credentials-provider: static_sts
x-acs-accesskey-id: STS.testAk
x-acs-security-token: CAIS+token/abc==
Authorization: ACS3-HMAC-SHA256 Credential=STS.testAk,SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=06f350acd8233d7012729f9d1997541e6c235398698cb29fd704cb60b2864d8d
Connection: keep-alive
Content-Length: 0

`

const CREDENTIALS: readonly CredentialRecord[] = [
  {
    accessKeyId: 'testAccessKeyId',
    secret: 'testAccessKeySecret',
    status: 'Active',
    userName: 'alice',
  },
  {
    accessKeyId: 'STS.testAk',
    secret: 'stsSecret',
    status: 'Active',
    userName: 'bob',
    securityTokenSha256: sha256Hex('CAIS+token/abc=='),
    expiresAt: new Date('2026-11-28T09:53:20Z'),
    mfaPresent: true,
  },
]

const lookup = (id: string) => Promise.resolve(CREDENTIALS.find((c) => c.accessKeyId === id))

const cases = [
  {
    name: 'A: pop-core GET (V1)',
    text: CAPTURE_A,
    at: '2026-11-28T08:53:19Z',
    scheme: 'V1',
    user: 'alice',
  },
  {
    name: 'B: pop-core POST form (V1)',
    text: CAPTURE_B,
    at: '2026-11-28T08:53:19Z',
    scheme: 'V1',
    user: 'alice',
  },
  {
    name: 'C: openapi-core (V3)',
    text: CAPTURE_C,
    at: '2026-11-28T08:53:20Z',
    scheme: 'V3',
    user: 'alice',
  },
  {
    name: 'D: openapi-client V3 + STS',
    text: CAPTURE_D,
    at: '2026-11-28T08:53:20Z',
    scheme: 'V3',
    user: 'bob',
  },
] as const

describe('SDK captures (protocol.md §6)', () => {
  for (const c of cases) {
    it(`verifies capture ${c.name}`, async () => {
      const req = parseCapture(c.text)
      const params = decodeParams(req)
      const caller = await verifySignature(
        req,
        params,
        lookup,
        new Date(c.at),
        createMemoryNonceStore()
      )
      assert.equal(caller.scheme, c.scheme)
      assert.equal(caller.userName, c.user)
      assert.equal(caller.temporary, c.user === 'bob')
      assert.equal(caller.mfaPresent, c.user === 'bob')
      assert.deepEqual(resolveAction(params, req.headers), {
        action: 'GetRedisAllSession',
        version: '2020-01-16',
      })
      assert.equal(params.get('InstanceId'), 'r-ok-bp1zxszhcgatnx****')
    })

    it(`refuses capture ${c.name} replayed`, async () => {
      const req = parseCapture(c.text)
      // The store's clock must agree with the capture time, as the server's clock would.
      const nonces = createMemoryNonceStore({ now: () => Date.parse(c.at) })
      await verifySignature(req, decodeParams(req), lookup, new Date(c.at), nonces)
      await assert.rejects(
        verifySignature(req, decodeParams(req), lookup, new Date(c.at), nonces),
        { code: 'SignatureNonceUsed' }
      )
    })

    it(`refuses capture ${c.name} 16 minutes later`, async () => {
      const req = parseCapture(c.text)
      const later = new Date(Date.parse(c.at) + 16 * 60 * 1000)
      await assert.rejects(
        verifySignature(req, decodeParams(req), lookup, later, createMemoryNonceStore()),
        { code: 'InvalidTimeStamp.Expired' }
      )
    })
  }

  it("decodes the raw !'()* of capture D before re-encoding them", () => {
    const req = parseCapture(CAPTURE_D)
    assert.equal(decodeParams(req).get('ConsoleContext'), "a b+c!'()*~&=/é中")
  })
})
