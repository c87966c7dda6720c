import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CoreError } from '../../src/core/errors.ts'
import { parseRedisUrl } from '../../src/core/redis/parse-redis-url.ts'
import { discoverTopology } from '../../src/core/topology/discover-topology.ts'
import { freePort } from '../support/free-port.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import {
  assertOperatorError,
  rejection,
  required,
  spec,
  startTcpServer,
  tcp,
} from './topology-support.ts'

const PASSWORD = 'Bad-Inputs-Secret-42'
/** Sent where the server expects PASSWORD: it must not leak either. */
const WRONG = 'Wrong-Secret-99'
const SHORT = { connectTimeoutMs: 1500, commandTimeoutMs: 1500 }

/** Discovery's error must name the node and cause; its cause must carry the precise code. */
async function expectFailure(
  run: Promise<unknown>,
  node: string,
  code: CoreError['code'],
  cause: RegExp,
  secret = PASSWORD
): Promise<void> {
  const error = await rejection(run)
  assertOperatorError(error, { code: 'TopologyDiscoveryFailed', node, cause, secret })
  assert.ok(error instanceof CoreError && error.cause instanceof CoreError)
  assertOperatorError(error.cause, { code, node, cause, secret })
}

void describe('discoverTopology: bad inputs fail with one line naming node and cause', () => {
  let secured: RedisServerHandle | undefined
  let disabled: RedisServerHandle | undefined
  let renamed: RedisServerHandle | undefined
  const s = (): RedisServerHandle => required(secured, 'server')

  before(async () => {
    ;[secured, disabled, renamed] = await Promise.all([
      startRedisServer({
        password: PASSWORD,
        aclUsers: [
          `no-info on >${PASSWORD} -@all +client|setname +ping`,
          `no-setname on >${PASSWORD} -@all +info +ping`,
        ],
      }),
      startRedisServer({ args: ['--rename-command', 'CLIENT', ''] }),
      startRedisServer({ args: ['--rename-command', 'CLIENT', 'OURCLIENT'] }),
    ])
  })
  after(async () => {
    await Promise.all([secured?.stop(), disabled?.stop(), renamed?.stop()])
  })

  const withAuth = (extra: object) => ({ connection: { ...SHORT, ...extra } })
  const at = (server: { port: number }) => `127.0.0.1:${server.port}`

  void it('an unreachable host: ConnectFailed', async () => {
    const port = await freePort()
    const run = discoverTopology(spec('auto', [tcp({ port })], withAuth({ password: PASSWORD })))
    await expectFailure(run, `127.0.0.1:${port}`, 'ConnectFailed', /connection refused/)
  })

  void it('a wrong password: AuthFailed', async () => {
    const run = discoverTopology(spec('standalone', [tcp(s())], withAuth({ password: WRONG })))
    await expectFailure(run, at(s()), 'AuthFailed', /authentication failed: WRONGPASS/, WRONG)
  })

  void it('a wrong ACL user password, and no password at all: AuthFailed', async () => {
    const wrongUser = discoverTopology(
      spec('cluster', [tcp(s())], withAuth({ username: 'no-info', password: WRONG }))
    )
    await expectFailure(wrongUser, at(s()), 'AuthFailed', /WRONGPASS/, WRONG)
    const none = discoverTopology(spec('standalone', [tcp(s())], withAuth({})))
    await expectFailure(none, at(s()), 'AuthFailed', /password is required: NOAUTH/)
  })

  void it('a port that is not Redis: NotRedis', async () => {
    const http = await startTcpServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'))
    try {
      const run = discoverTopology(spec('auto', [tcp(http)], withAuth({ password: PASSWORD })))
      await expectFailure(run, at(http), 'NotRedis', /not a Redis server/)
    } finally {
      await http.close()
    }
  })

  void it('a port that never answers: Timeout', async () => {
    const silent = await startTcpServer(() => undefined)
    try {
      const run = discoverTopology(
        spec('standalone', [tcp(silent)], withAuth({ password: PASSWORD }))
      )
      await expectFailure(run, at(silent), 'Timeout', /took longer than 1500 ms/)
    } finally {
      await silent.close()
    }
  })

  void it('an ACL user without +info: NoPermission naming INFO', async () => {
    const run = discoverTopology(
      spec('auto', [tcp(s())], withAuth({ username: 'no-info', password: PASSWORD }))
    )
    await expectFailure(run, at(s()), 'NoPermission', /no permission for INFO: NOPERM/)
  })

  void it('an ACL user without +client|setname: NoPermission naming CLIENT SETNAME', async () => {
    const run = discoverTopology(
      spec('standalone', [tcp(s())], withAuth({ username: 'no-setname', password: PASSWORD }))
    )
    await expectFailure(run, at(s()), 'NoPermission', /no permission for CLIENT SETNAME/)
  })

  void it('CLIENT disabled with rename-command: CommandDisabled', async () => {
    const server = required(disabled, 'server')
    const run = discoverTopology(spec('standalone', [tcp(server)], withAuth({})))
    await expectFailure(
      run,
      at(server),
      'CommandDisabled',
      /CLIENT SETNAME is not available .*unknown command/
    )
  })

  void it('CLIENT renamed: CommandDisabled unless the new name is configured', async () => {
    const server = required(renamed, 'server')
    const unset = discoverTopology(spec('standalone', [tcp(server)], withAuth({})))
    await expectFailure(unset, at(server), 'CommandDisabled', /CLIENT renamed or disabled/)
    const topology = await discoverTopology(
      spec('standalone', [tcp(server)], withAuth({ clientCommand: 'OURCLIENT' }))
    )
    assert.deepEqual(
      topology.nodes.map((n) => n.nodeId),
      [`r-test-db-0#${server.port}`]
    )
  })

  void it('several failing seeds: every seed and its cause in one line', async () => {
    const port = await freePort()
    const error = await rejection(
      discoverTopology(spec('cluster', [tcp({ port }), tcp(s())], withAuth({ password: WRONG })))
    )
    assertOperatorError(error, {
      code: 'TopologyDiscoveryFailed',
      cause: /connection refused.*; .*WRONGPASS/,
      secret: WRONG,
    })
    assert.ok(error instanceof Error && error.cause instanceof AggregateError)
    assert.equal(error.cause.errors.length, 2)
  })

  void it('a URL that does not parse: InvalidRedisUrl, password not echoed', () => {
    assert.throws(
      () => parseRedisUrl(`redis://admin:${PASSWORD}@127.0.0.1:63790x`),
      (error: unknown) =>
        assertOperatorError(error, {
          code: 'InvalidRedisUrl',
          cause: /port must be a number/,
          secret: PASSWORD,
        })
    )
  })

  void it('a sentinel topology without a master name', async () => {
    const error = await rejection(discoverTopology(spec('sentinel', [tcp(s())], withAuth({}))))
    assertOperatorError(error, { code: 'TopologyDiscoveryFailed', cause: /no master name/ })
  })
})
