import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CoreError } from '../../src/core/errors.ts'
import { openConnection, type NodeConnection } from '../../src/core/redis/connection.ts'
import type { ConnectionOptions } from '../../src/core/redis/connection-options.ts'
import { ownAddressesOn } from '../../src/core/redis/own-connections.ts'
import { parseListedSessions } from '../cli/live-sessions.ts'
import { parseInfo } from '../support/redis-cli.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'

const PASSWORD = 'handshake-secret-1'
const WRONG = 'handshake-wrong-2'

const options = (password: string | undefined, username?: string): ConnectionOptions => ({
  password,
  username,
  connectTimeoutMs: 3000,
  commandTimeoutMs: 3000,
})
const tcp = (server: RedisServerHandle) => ({
  kind: 'tcp' as const,
  host: '127.0.0.1',
  port: server.port,
})
const node = (server: RedisServerHandle) => `127.0.0.1:${server.port}`

async function calls(server: RedisServerHandle, command: string): Promise<number> {
  return callsIn(await server.cli('INFO', 'commandstats'), command)
}

/** Executed `calls` of `command` (`client|setname` for a subcommand) in INFO commandstats text. */
function callsIn(commandstats: string, command: string): number {
  const stats = parseInfo(commandstats)
  return Number(/calls=(\d+)/.exec(stats.get(`cmdstat_${command}`) ?? '')?.[1] ?? 0)
}

async function expectAuthFailed(run: Promise<NodeConnection>): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof CoreError)
    assert.equal(error.code, 'AuthFailed')
    assert.ok(!error.message.includes(WRONG), 'no password in the message')
    assert.ok(!JSON.stringify(error.cause ?? '').includes(WRONG), 'nor in the cause')
    return true
  })
}

// The service's connection is named in the round trip that authenticates it (HELLO on 6.0+), and
// this process knows it as its own by address from the moment its socket exists.
void describe('openConnection: HELLO handshake, fallback, and own addresses', () => {
  let modern: RedisServerHandle | undefined
  let noHello: RedisServerHandle | undefined
  const m = (): RedisServerHandle => modern ?? assert.fail('no server')
  const old = (): RedisServerHandle => noHello ?? assert.fail('no server')

  before(async () => {
    ;[modern, noHello] = await Promise.all([
      startRedisServer({
        password: PASSWORD,
        aclUsers: [`app on >${PASSWORD} ~* &* +@all`],
      }),
      // What a 5.x server answers (unknown command `HELLO`), on a 7.0 binary.
      startRedisServer({ password: PASSWORD, args: ['--rename-command', 'HELLO', ''] }),
    ])
  })
  after(async () => {
    await Promise.all([modern?.stop(), noHello?.stop()])
  })

  void it('names the connection with HELLO (password, ACL user) and knows its address', async () => {
    for (const username of [undefined, 'app']) {
      const before = await calls(m(), 'hello')
      const connection = await openConnection(tcp(m()), options(PASSWORD, username))
      try {
        assert.equal(await calls(m(), 'hello'), before + 1, 'HELLO carried AUTH and SETNAME')
        const mine = parseListedSessions(await m().cli('CLIENT', 'LIST')).filter(
          (s) => s.name === 'redis-sessions'
        )
        assert.equal(mine.length, 1)
        const own = ownAddressesOn(node(m()))
        assert.ok(own.has(mine[0]?.addr ?? ''), `${mine[0]?.addr} in ${[...own].join(', ')}`)
        assert.equal(ownAddressesOn(`127.0.0.1:${m().port + 1}`).size, 0, 'per node')
      } finally {
        connection.close()
      }
      await waitFor(() => Promise.resolve(ownAddressesOn(node(m())).size === 0), {
        what: 'the closed connection to leave the own addresses',
        timeoutMs: 2000,
      })
    }
  })

  void it('falls back to AUTH + CLIENT SETNAME when HELLO is unknown (Redis 5.x)', async () => {
    // Read before by redis-cli (its own AUTH is counted before its INFO runs), after through the
    // connection itself (no AUTH of its own): the difference is the handshake's alone.
    const before = await old().cli('INFO', 'commandstats')
    const connection = await openConnection(tcp(old()), options(PASSWORD))
    try {
      const after = await connection.callText(['INFO', 'commandstats'])
      for (const command of ['auth', 'client|setname']) {
        assert.equal(callsIn(after, command), callsIn(before, command) + 1, `one ${command}`)
      }
      const mine = parseListedSessions(await old().cli('CLIENT', 'LIST')).filter(
        (s) => s.name === 'redis-sessions'
      )
      assert.equal(mine.length, 1, 'named by CLIENT SETNAME')
      assert.ok(ownAddressesOn(node(old())).has(mine[0]?.addr ?? ''))
    } finally {
      connection.close()
    }
  })

  void it('a wrong password is AuthFailed, with HELLO and with the fallback, never echoed', async () => {
    await expectAuthFailed(openConnection(tcp(m()), options(WRONG)))
    await expectAuthFailed(openConnection(tcp(m()), options(WRONG, 'app')))
    await expectAuthFailed(openConnection(tcp(old()), options(WRONG)))
    await expectAuthFailed(openConnection(tcp(m()), options(undefined)))
  })
})
