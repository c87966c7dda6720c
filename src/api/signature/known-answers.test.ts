/** The known-answer vectors of protocol.md §7 and the encoding rules of §2. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { canonicalizeQueryV1, stringToSignV1 } from './canonicalize-v1.ts'
import {
  canonicalizeQueryV3,
  canonicalizeV3,
  EMPTY_BODY_SHA256,
  sha256Hex,
} from './canonicalize-v3.ts'
import { percentEncode, percentEncodePath } from './percent-encode.ts'
import { signV1, signV3 } from './sign.ts'

const CONSOLE_CONTEXT = "a b+c!'()*~&=/é中"

const V3_HEADERS = {
  host: 'das.cn-shanghai.aliyuncs.com',
  'x-acs-version': '2020-01-16',
  'x-acs-action': 'GetRedisAllSession',
  'x-acs-date': '2024-01-01T00:00:00Z',
  'x-acs-signature-nonce': '3f1d0e2c4b5a69788796a5b4c3d2e1f0',
  'x-acs-content-sha256': EMPTY_BODY_SHA256,
  'x-acs-credentials-provider': 'static_ak',
  'user-agent': 'AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.0.1 TeaDSL/2',
  accept: 'application/json',
}
const V3_QUERY = { InstanceId: 'r-bp1zxszhcgatnx****', ConsoleContext: CONSOLE_CONTEXT }

const V1_PARAMS = {
  AccessKeyId: 'testAccessKeyId',
  Action: 'GetRedisAllSession',
  Format: 'JSON',
  InstanceId: 'r-bp1zxszhcgatnx****',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '3f1d0e2c4b5a69788796a5b4c3d2e1f0',
  SignatureVersion: '1.0',
  Timestamp: '2024-01-01T00:00:00Z',
  Version: '2020-01-16',
  ConsoleContext: CONSOLE_CONTEXT,
}

describe('percentEncode', () => {
  it('encodes everything but A-Z a-z 0-9 - _ . ~ with upper-case hex', () => {
    assert.equal(
      percentEncode(CONSOLE_CONTEXT),
      'a%20b%2Bc%21%27%28%29%2A~%26%3D%2F%C3%A9%E4%B8%AD'
    )
    assert.equal(percentEncode('AZaz09-_.~'), 'AZaz09-_.~')
    assert.equal(percentEncode('😀'), '%F0%9F%98%80')
  })

  it('encodes a path per segment', () => {
    assert.equal(percentEncodePath('/'), '/')
    assert.equal(percentEncodePath('/a b/c*'), '/a%20b/c%2A')
  })
})

describe('V3 known answer (protocol.md §7)', () => {
  it('signs to the published Authorization header', () => {
    const request = { method: 'POST', path: '/', query: V3_QUERY, headers: V3_HEADERS, body: '' }
    assert.equal(
      signV3(request, 'testAccessKeyId', 'testAccessKeySecret'),
      'ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=31c35fc815a4496fbaba862dbeff635fe126bc250a24c25898d8205038d1b239'
    )
  })

  it('hashes the canonical request to the published digest', () => {
    const signedHeaders = Object.keys(V3_HEADERS)
      .filter((name) => name === 'host' || name.startsWith('x-acs-'))
      .sort()
    const headers = new Map<string, string>(Object.entries(V3_HEADERS))
    const { canonicalRequest, stringToSign } = canonicalizeV3({
      method: 'post',
      path: '/',
      query: Object.entries(V3_QUERY),
      signedHeaders,
      header: (name) => headers.get(name),
      payloadSha256: EMPTY_BODY_SHA256,
    })
    assert.equal(
      sha256Hex(canonicalRequest),
      '45b7d35a279b941ae22a10cdd7e4a548cc1a5f5bee58fa0c62d0b7bb9f237e8d'
    )
    assert.equal(stringToSign, `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`)
    assert.match(
      canonicalRequest,
      /^POST\n\/\nConsoleContext=a%20b%2Bc%21%27%28%29%2A~%26%3D%2F%C3%A9%E4%B8%AD&InstanceId=r-bp1zxszhcgatnx%2A%2A%2A%2A\nhost:/
    )
  })

  it('sorts equal keys by value and gives an empty value as "key="', () => {
    assert.equal(
      canonicalizeQueryV3([
        ['b', '2'],
        ['a', ''],
        ['b', '1'],
      ]),
      'a=&b=1&b=2'
    )
  })
})

describe('V1 known answer (protocol.md §7)', () => {
  it('signs GET and POST to the published signatures', () => {
    assert.equal(signV1(V1_PARAMS, 'GET', 'testAccessKeySecret'), 'zY1rTEgRws9e4Uipeqk0c/dRM4c=')
    assert.equal(signV1(V1_PARAMS, 'POST', 'testAccessKeySecret'), 'xSDjUoBP0H1bx0cVQRjmybbzEyU=')
  })

  it('upper-cases the method and leaves Signature out of the string to sign', () => {
    const withSignature = new Map(Object.entries({ ...V1_PARAMS, Signature: 'ignored' }))
    const plain = new Map(Object.entries(V1_PARAMS))
    assert.equal(stringToSignV1('get', withSignature), stringToSignV1('GET', plain))
    assert.doesNotMatch(canonicalizeQueryV1(withSignature), /Signature=/)
  })

  it('encodes values twice in the string to sign', () => {
    const stringToSign = stringToSignV1('GET', new Map(Object.entries(V1_PARAMS)))
    assert.match(stringToSign, /^GET&%2F&AccessKeyId%3DtestAccessKeyId%26/)
    assert.match(stringToSign, /InstanceId%3Dr-bp1zxszhcgatnx%252A%252A%252A%252A/)
  })
})
