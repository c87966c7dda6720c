// The console's V3 signer, run in Node on globalThis.crypto.subtle (the same WebCrypto API as
// the browser): protocol.md §7's known answer, capture D (STS), and agreement with the server.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { signV3 as serverSignV3 } from '../../../src/api/signature/sign.ts'
import { canonicalQuery, formatAcsDate, percentEncode, randomNonce, signV3 } from './sign-v3.ts'

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const CONSOLE_CONTEXT = "a b+c!'()*~&=/é中"

describe('web sign-v3', () => {
  it('reproduces the known-answer vector of protocol.md §7', async () => {
    const signed = await signV3(
      {
        method: 'POST',
        path: '/',
        query: { InstanceId: 'r-bp1zxszhcgatnx****', ConsoleContext: CONSOLE_CONTEXT },
        headers: {
          host: 'das.cn-shanghai.aliyuncs.com',
          'x-acs-version': '2020-01-16',
          'x-acs-action': 'GetRedisAllSession',
          'x-acs-date': '2024-01-01T00:00:00Z',
          'x-acs-signature-nonce': '3f1d0e2c4b5a69788796a5b4c3d2e1f0',
          'x-acs-content-sha256': EMPTY_SHA256,
          'x-acs-credentials-provider': 'static_ak',
          'user-agent': 'unsigned',
          accept: 'application/json',
        },
        body: '',
      },
      'testAccessKeyId',
      'testAccessKeySecret'
    )
    assert.equal(
      createHash('sha256').update(signed.canonicalRequest).digest('hex'),
      '45b7d35a279b941ae22a10cdd7e4a548cc1a5f5bee58fa0c62d0b7bb9f237e8d'
    )
    assert.equal(
      signed.authorization,
      'ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=host;x-acs-action;' +
        'x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;' +
        'x-acs-version,Signature=31c35fc815a4496fbaba862dbeff635fe126bc250a24c25898d8205038d1b239'
    )
  })

  it('canonicalizes capture D (STS headers, re-encoded query) as protocol.md §6 shows', async () => {
    const query = { InstanceId: 'r-ok-bp1zxszhcgatnx****', ConsoleContext: CONSOLE_CONTEXT }
    assert.equal(
      canonicalQuery(query),
      'ConsoleContext=a%20b%2Bc%21%27%28%29%2A~%26%3D%2F%C3%A9%E4%B8%AD&' +
        'InstanceId=r-ok-bp1zxszhcgatnx%2A%2A%2A%2A'
    )
    const signed = await signV3(
      {
        method: 'POST',
        path: '/',
        query,
        headers: {
          host: '127.0.0.1:18080',
          'x-acs-version': '2020-01-16',
          'x-acs-action': 'GetRedisAllSession',
          'x-acs-date': '2026-11-28T08:53:20Z',
          'x-acs-signature-nonce': '3a3f0e1bf42a9c536264731733e673d9',
          'x-acs-content-sha256': EMPTY_SHA256,
          'x-acs-credentials-provider': 'static_sts',
          'x-acs-accesskey-id': 'STS.testAk',
          'x-acs-security-token': 'CAIS+token/abc==',
        },
        body: '',
      },
      'STS.testAk',
      'unused-here'
    )
    assert.equal(
      createHash('sha256').update(signed.canonicalRequest).digest('hex'),
      'fce7fc89190421bb039dd7c153d3f9e09d9c46cb332985d187e951900039e8d3'
    )
  })

  it('agrees with the server-side signer on any parameters, headers and form body', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 24 })
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,11}$/), text, { maxKeys: 5 }),
        text,
        text,
        async (query, body, token) => {
          const headers = {
            host: '127.0.0.1:8080',
            'Content-Type': 'application/x-www-form-urlencoded',
            'x-acs-action': 'GetRedisAllSession',
            'x-acs-security-token': token,
            'x-acs-content-sha256': createHash('sha256').update(body).digest('hex'),
          }
          const request = { method: 'POST', path: '/', query, headers, body }
          const ours = await signV3(request, 'STS.ak', 'secret')
          assert.equal(ours.authorization, serverSignV3(request, 'STS.ak', 'secret'))
        }
      ),
      { numRuns: 200 }
    )
  })

  it('formats dates without milliseconds and makes 32-hex nonces', () => {
    assert.equal(
      formatAcsDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))),
      '2024-01-02T03:04:05Z'
    )
    assert.match(randomNonce(), /^[0-9a-f]{32}$/)
    assert.notEqual(randomNonce(), randomNonce())
    assert.equal(percentEncode("!'()* é"), '%21%27%28%29%2A%20%C3%A9')
  })
})
