/**
 * Per-node failures through the API, each with its cause and never a secret: a wrong password, an
 * ACL user without `+client|list`, CLIENT renamed away, TLS verified against the wrong CA, a host
 * that does not resolve. Each answers InstanceConnectionFailed (503) naming the node and why; a
 * `nodes` instance with all of them at once names every node's cause in one Detail.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { freePort } from '../support/free-port.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import {
  ADMIN,
  callApi,
  dataOf,
  errorOf,
  startLiveServer,
  type ApiAnswer,
  type LiveServer,
} from './support/live-api.ts'
import { startTlsOnlyRedis, type TlsRedis } from './support/tls-redis.ts'

const PASSWORD = 'Node-Errors-Right-Pw-4b2d'
const WRONG = 'Node-Errors-Wrong-Pw-9e71'
const SECRETS = [PASSWORD, WRONG, ADMIN.accessKeySecret]
const NO_HOST = 'no-such-host.invalid'

void describe('per-node errors through the API: cause named, no secret', () => {
  let live: LiveServer | undefined
  let secured: RedisServerHandle | undefined
  let renamed: RedisServerHandle | undefined
  let tls: TlsRedis | undefined
  const bodies: string[] = []

  before(async () => {
    ;[live, secured, renamed, tls] = await Promise.all([
      startLiveServer(),
      startRedisServer({
        password: PASSWORD,
        // Everything discovery needs (redis.md §10) except client|list.
        aclUsers: [`nolist on >${PASSWORD} -@all +info +ping +role +client|setname +client|id`],
      }),
      startRedisServer({ args: ['--rename-command', 'CLIENT', ''] }),
      startTlsOnlyRedis(),
    ])
  })
  after(async () => {
    await Promise.all([live?.close(), secured?.stop(), renamed?.stop(), tls?.stop()])
  })

  const call = async (action: string, params: Record<string, string>): Promise<ApiAnswer> => {
    const answer = await callApi(need(live, 'server').url, ADMIN, action, params)
    bodies.push(answer.text)
    return answer
  }

  /** Registers `InstanceId` without a probe, then lists its sessions. */
  async function sessionsOf(params: Record<string, string>): Promise<ApiAnswer> {
    dataOf(await call('AddRedisInstance', { Topology: 'standalone', SkipCheck: 'true', ...params }))
    return await call('GetRedisAllSession', { InstanceId: params['InstanceId'] ?? '' })
  }

  const s = (): RedisServerHandle => need(secured, 'secured server')
  const at = (port: number) => `127.0.0.1:${port}`

  void it('a wrong password: authentication failed (WRONGPASS)', async () => {
    const answer = await sessionsOf({
      InstanceId: 'r-rel-wrongpass',
      Endpoints: at(s().port),
      Password: WRONG,
    })
    const detail = errorOf(answer, 'InstanceConnectionFailed', 503)
    assert.match(detail, new RegExp(`${at(s().port)}: authentication failed: WRONGPASS`))
  })

  void it('an ACL user without +client|list: no permission for CLIENT LIST (NOPERM)', async () => {
    const answer = await sessionsOf({
      InstanceId: 'r-rel-nolist',
      Endpoints: at(s().port),
      Username: 'nolist',
      Password: PASSWORD,
    })
    const detail = errorOf(answer, 'InstanceConnectionFailed', 503)
    assert.match(detail, new RegExp(`r-rel-nolist-db-0#${s().port}: ${at(s().port)}: `))
    assert.match(detail, /no permission for CLIENT LIST: NOPERM/)
  })

  void it('CLIENT renamed to "": the command is not available', async () => {
    const server = need(renamed, 'renamed server')
    const answer = await sessionsOf({ InstanceId: 'r-rel-renamed', Endpoints: at(server.port) })
    const detail = errorOf(answer, 'InstanceConnectionFailed', 503)
    assert.match(detail, new RegExp(`${at(server.port)}: CLIENT SETNAME is not available`))
    assert.match(detail, /unknown command/)
  })

  void it('TLS with the right CA works; with another CA: TLS failed', async () => {
    const t = need(tls, 'TLS server')
    const tlsParams = { Endpoints: at(t.port), Tls: 'true', TlsServerName: 'localhost' }
    const good = await sessionsOf({ InstanceId: 'r-rel-tls-ok', ...tlsParams, TlsCa: t.ca })
    assert.equal(dataOf(good)['Complete'], true)
    const bad = await sessionsOf({ InstanceId: 'r-rel-tls-badca', ...tlsParams, TlsCa: t.otherCa })
    const detail = errorOf(bad, 'InstanceConnectionFailed', 503)
    assert.match(detail, new RegExp(`${at(t.port)}: TLS failed: `))
    assert.ok(!detail.includes('BEGIN CERTIFICATE'), 'no CA text in the answer')
  })

  void it(`an unresolvable host (${NO_HOST}): the lookup failure`, async () => {
    const answer = await sessionsOf({ InstanceId: 'r-rel-nohost', Endpoints: `${NO_HOST}:6379` })
    const detail = errorOf(answer, 'InstanceConnectionFailed', 503)
    assert.match(detail, new RegExp(`${NO_HOST}:6379: (host not found|host name lookup failed)`))
  })

  void it('a nodes instance with every fault at once: each node and its cause in Detail', async () => {
    const closed = await freePort()
    const endpoints = [at(s().port), at(need(renamed, 'renamed').port), `${NO_HOST}:6379`]
    endpoints.push(at(closed))
    dataOf(
      await call('AddRedisInstance', {
        InstanceId: 'r-rel-multi',
        Topology: 'nodes',
        Endpoints: endpoints.join(','),
        Password: WRONG,
        SkipCheck: 'true',
      })
    )
    const detail = errorOf(
      await call('GetRedisAllSession', { InstanceId: 'r-rel-multi' }),
      'InstanceConnectionFailed',
      503
    )
    const causes = detail.split('; ')
    assert.equal(causes.length, 4, detail)
    const expected = [
      `r-rel-multi-proxy-0#${s().port}: ${at(s().port)}: authentication failed: WRONGPASS`,
      `r-rel-multi-proxy-1#${need(renamed, 'renamed').port}: ${endpoints[1]}: CLIENT SETNAME is not available`,
      `r-rel-multi-proxy-2#6379: ${NO_HOST}:6379: host`,
      `r-rel-multi-proxy-3#${closed}: ${at(closed)}: connection refused (ECONNREFUSED)`,
    ]
    for (const prefix of expected) {
      assert.ok(
        causes.some((c) => c.startsWith(prefix)),
        `${prefix}… in ${detail}`
      )
    }
  })

  void it('a failed probe (AddRedisInstance without SkipCheck) names the cause too', async () => {
    const answer = await call('AddRedisInstance', {
      InstanceId: 'r-rel-probe',
      Topology: 'standalone',
      Endpoints: at(s().port),
      Password: WRONG,
    })
    assert.match(errorOf(answer, 'InstanceConnectionFailed', 503), /authentication failed/)
  })

  void it('no answer body, success or error, ever held a password or a secret', async () => {
    bodies.push((await call('DescribeRedisInstances', { PageSize: '100' })).text)
    assert.ok(bodies.length >= 14, `bodies checked: ${bodies.length}`)
    for (const body of bodies) {
      for (const secret of SECRETS) assert.ok(!body.includes(secret), body.slice(0, 300))
    }
  })
})

function need<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}
