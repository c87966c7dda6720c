import assert from 'node:assert/strict'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createRemoteClient } from './remote-client.ts'

/** What reached the server: the request line's URL and the body. */
interface Seen {
  url: string
  body: string
  contentType: string | undefined
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

describe('createRemoteClient', () => {
  const seen: Seen[] = []
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      seen.push({ url: request.url ?? '', body, contentType: request.headers['content-type'] })
      response.setHeader('content-type', 'application/json;charset=utf-8')
      response.end('{"RequestId":"R","Code":200,"Success":true,"Data":"None"}')
    })
  })
  let endpoint = ''

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('sends parameters in the signed form body, so no password reaches a request line (access logs)', async () => {
    const client = createRemoteClient({
      endpoint,
      accessKeyId: 'AKremote',
      accessKeySecret: 'remote-secret',
    })
    await client.call('AddRedisInstance', {
      InstanceId: 'r-x',
      Endpoints: '127.0.0.1:6379',
      Password: 'RedisPw 123&=',
    })
    const request = seen.at(-1)
    assert.ok(request)
    assert.equal(request.url, '/')
    assert.equal(request.contentType, 'application/x-www-form-urlencoded')
    assert.match(request.body, /(^|&)Password=RedisPw%20123%26%3D(&|$)/)
  })
})
