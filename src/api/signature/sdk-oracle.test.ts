/**
 * The official SDKs as oracles: each signs a real request to an in-process HTTP server whose only
 * logic is decodeParams → resolveAction → verifySignature. Covers client variants the captures
 * of protocol.md §6 do not (openapi-client `signatureAlgorithm: 'v2'`, STS with pop-core).
 */
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import RPCClient from '@alicloud/pop-core'
import OpenApi from '@alicloud/openapi-client'
import OpenApiCore from '@alicloud/openapi-core'
import Util from '@alicloud/tea-util'
import $dara from '@darabonba/typescript'
import { ApiError } from '../errors/api-error.ts'
import { decodeParams, resolveAction } from '../protocol/params.ts'
import type { RpcRequest } from '../protocol/rpc-request.ts'
import { sha256Hex } from './canonicalize-v3.ts'
import type { CredentialRecord, VerifiedCaller } from './credential.ts'
import { createMemoryNonceStore } from './nonce-store.ts'
import { verifySignature } from './verify-signature.ts'

const CONTEXT = "a b+c!'()*~&=/é中"
const RECORDS: CredentialRecord[] = [
  { accessKeyId: 'AK1', secret: 'secret-1', status: 'Active', userName: 'alice' },
  {
    accessKeyId: 'STS.AK2',
    secret: 'secret-2',
    status: 'Active',
    userName: 'bob',
    securityTokenSha256: sha256Hex('CAIS+token/abc=='),
    expiresAt: new Date(Date.now() + 3_600_000),
  },
]
const nonces = createMemoryNonceStore()
const seen: Array<{ caller: VerifiedCaller; action: string; params: Map<string, string> }> = []
let server: Server
let endpoint = ''

async function toRpcRequest(message: IncomingMessage): Promise<RpcRequest> {
  const chunks: Buffer[] = []
  for await (const chunk of message)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  const url = message.url ?? '/'
  const question = url.indexOf('?')
  return {
    method: message.method ?? 'GET',
    path: question === -1 ? url : url.slice(0, question),
    query: question === -1 ? '' : url.slice(question + 1),
    headers: message.headers,
    body: Buffer.concat(chunks),
    contentType: message.headers['content-type'],
    sourceIp: message.socket.remoteAddress ?? '',
    secure: false,
  }
}

before(async () => {
  server = createServer((message, response) => {
    void (async () => {
      const req = await toRpcRequest(message)
      try {
        const params = decodeParams(req)
        const { action } = resolveAction(params, req.headers)
        const lookup = (id: string) => Promise.resolve(RECORDS.find((r) => r.accessKeyId === id))
        const caller = await verifySignature(req, params, lookup, new Date(), nonces)
        seen.push({ caller, action, params })
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(
          JSON.stringify({ RequestId: 'R', Code: 200, Message: 'Successful', Success: true })
        )
      } catch (error) {
        const code = error instanceof ApiError ? error.code : 'InternalError'
        response.writeHead(400, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ RequestId: 'R', Code: code, Message: String(error) }))
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`
})

after(() => server.close())

/** The last request the server verified. */
function last() {
  const entry = seen.at(-1)
  assert.ok(entry !== undefined)
  return entry
}

describe('official SDKs against verifySignature', () => {
  for (const method of ['GET', 'POST']) {
    it(`pop-core ${method} (V1), also with a SecurityToken`, async () => {
      for (const [accessKeyId, accessKeySecret, securityToken] of [
        ['AK1', 'secret-1', undefined],
        ['STS.AK2', 'secret-2', 'CAIS+token/abc=='],
      ] as const) {
        const client = new RPCClient({
          endpoint: `http://${endpoint}`,
          apiVersion: '2020-01-16',
          accessKeyId,
          accessKeySecret,
          ...(securityToken === undefined ? {} : { securityToken }),
        })
        await client.request(
          'GetRedisAllSession',
          { InstanceId: 'r-1****', ConsoleContext: CONTEXT },
          { method }
        )
        assert.equal(last().caller.accessKeyId, accessKeyId)
        assert.equal(last().caller.scheme, 'V1')
        assert.equal(last().params.get('ConsoleContext'), CONTEXT)
      }
    })
  }

  for (const signatureAlgorithm of ['v2', undefined]) {
    it(`openapi-client ${signatureAlgorithm ?? 'default (V3)'}`, async () => {
      const config = new OpenApi.Config({
        endpoint,
        protocol: 'http',
        accessKeyId: 'AK1',
        accessKeySecret: 'secret-1',
      })
      if (signatureAlgorithm !== undefined) config.signatureAlgorithm = signatureAlgorithm
      const client = new OpenApi.default(config)
      const params = new OpenApi.Params({
        action: 'GetRedisAllSession',
        version: '2020-01-16',
        protocol: 'HTTP',
        pathname: '/',
        method: 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      })
      const request = new OpenApi.OpenApiRequest({
        query: { InstanceId: 'r-1****', ConsoleContext: CONTEXT },
      })
      await client.callApi(params, request, new Util.RuntimeOptions({}))
      assert.equal(last().caller.scheme, signatureAlgorithm === 'v2' ? 'V1' : 'V3')
      assert.equal(last().action, 'GetRedisAllSession')
      assert.equal(last().params.get('InstanceId'), 'r-1****')
    })
  }

  it('openapi-core (generated DAS SDK path) with STS and a form body', async () => {
    const config = new OpenApiCore.$OpenApiUtil.Config({
      endpoint,
      protocol: 'http',
      accessKeyId: 'STS.AK2',
      accessKeySecret: 'secret-2',
      securityToken: 'CAIS+token/abc==',
    })
    const client = new OpenApiCore.default(config)
    const params = new OpenApiCore.$OpenApiUtil.Params({
      action: 'GetRedisAllSession',
      version: '2020-01-16',
      protocol: 'HTTP',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    })
    const request = new OpenApiCore.$OpenApiUtil.OpenApiRequest({
      query: { InstanceId: 'r-1****' },
      body: { ConsoleContext: CONTEXT },
    })
    await client.callApi(params, request, new $dara.RuntimeOptions({}))
    assert.equal(last().caller.scheme, 'V3')
    assert.equal(last().caller.temporary, true)
    assert.equal(last().params.get('ConsoleContext'), CONTEXT)
  })

  it('gets SignatureDoesNotMatch from the server with a wrong secret', async () => {
    const client = new RPCClient({
      endpoint: `http://${endpoint}`,
      apiVersion: '2020-01-16',
      accessKeyId: 'AK1',
      accessKeySecret: 'nope',
    })
    await assert.rejects(client.request('GetRedisAllSession', { InstanceId: 'r-1' }), {
      code: 'SignatureDoesNotMatch',
    })
  })
})
