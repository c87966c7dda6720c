/**
 * The load path without wrk: a redis-server with 1,000 named sessions, 600 GetRedisAllSession
 * calls (≈ 413 KB each) in rounds of 100 concurrent keep-alive requests, through a real listening
 * server. The server's heap after a full GC must come back to where it started (generous bound):
 * answers in flight are garbage once sent, and the result cache holds one snapshot. No timing.
 */
import assert from 'node:assert/strict'
import { Agent, request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { buildSignedRequest } from '../../src/api/signature/sign.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { ADMIN, callApi, dataOf, startLiveServer, type LiveServer } from './support/live-api.ts'

const SESSIONS = 1000
const ROUNDS = 6
const CONCURRENT = 100
const GROWTH_LIMIT = 32 * 1024 * 1024

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function heapAfterGc(): number {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

void describe('heap with large answers', () => {
  let redis: RedisServerHandle | undefined
  let live: LiveServer | undefined
  const sockets: Socket[] = []
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENT })

  before(async () => {
    redis = await startRedisServer({ maxclients: SESSIONS + 500 })
    for (let i = 0; i < SESSIONS; i++) {
      const socket = connect({ host: '127.0.0.1', port: redis.port })
      socket.on('error', () => undefined)
      const name = `big-${i}`
      socket.write(`*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$${name.length}\r\n${name}\r\n`)
      sockets.push(socket)
    }
    // The result cache at its default (1 s), as a production server runs.
    live = await startLiveServer({ env: { REDIS_SESSIONS_RESULT_CACHE_MS: '1000' } })
    const added = await callApi(live.url, ADMIN, 'AddRedisInstance', {
      InstanceId: 'r-big',
      Topology: 'standalone',
      Endpoints: `127.0.0.1:${redis.port}`,
    })
    dataOf(added)
  })
  after(async () => {
    agent.destroy()
    for (const socket of sockets) socket.destroy()
    await live?.close()
    await redis?.stop()
  })

  /** One signed call over the keep-alive agent; resolves with its status and body size. */
  function call(url: string): Promise<[number, number]> {
    const signed = buildSignedRequest({
      endpoint: url,
      scheme: 'V3',
      action: 'GetRedisAllSession',
      params: { InstanceId: 'r-big' },
      accessKeyId: ADMIN.accessKeyId,
      accessKeySecret: ADMIN.accessKeySecret,
    })
    return new Promise((resolve, reject) => {
      const req = request(signed.url, { method: signed.method, headers: signed.headers, agent })
      req.on('response', (response) => {
        let size = 0
        response.on('data', (chunk: Buffer) => (size += chunk.length))
        response.on('end', () => resolve([response.statusCode ?? 0, size]))
      })
      req.on('error', reject)
      req.end()
    })
  }

  void it(`${ROUNDS} × ${CONCURRENT} concurrent answers of ${SESSIONS} sessions leave the heap as it was`, async () => {
    const url = need(live, 'server').url
    await waitFor(
      async () =>
        Number(
          dataOf(await callApi(url, ADMIN, 'GetRedisAllSession', { InstanceId: 'r-big' }))['Total']
        ) >= SESSIONS,
      { what: `${SESSIONS} sessions listed` }
    )
    await call(url)
    const before = heapAfterGc()
    let bytes = 0
    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => call(url)))
      for (const [status, size] of answers) {
        assert.equal(status, 200)
        assert.ok(size > SESSIONS * 200, `an answer of ${size} bytes`)
        bytes += size
      }
    }
    const growth = heapAfterGc() - before
    process.stdout.write(
      `# large answers: ${ROUNDS * CONCURRENT} answers, ${(bytes / 1048576).toFixed(0)} MiB sent, ` +
        `heapUsed after GC ${growth >= 0 ? '+' : ''}${(growth / 1048576).toFixed(1)} MiB\n`
    )
    assert.ok(growth < GROWTH_LIMIT, `heap grew by ${growth} bytes`)
  })
})

function need<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}
