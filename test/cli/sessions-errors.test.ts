import assert from 'node:assert/strict'
import { createServer, type Server, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { freePort } from '../support/free-port.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { assertDasInvariants, parseDasData } from './das-data.ts'
import { assertOneLineFailure, ensureCliBuilt, runCli, runCliOk } from './run-cli.ts'

const PASSWORD = 'Cli-Errors-Secret-7f3a'
/** Sent where the server expects PASSWORD: must not be printed either. */
const WRONG = 'Wrong-Cli-Secret-91bd'
const SECRETS = [PASSWORD, WRONG]

/** A TCP server on 127.0.0.1 that greets every connection with bytes that are not RESP. */
async function startGarbageServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
    socket.write('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n')
    socket.on('data', () => socket.write('\x00\x01\x02 garbage \xff\r\n'))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  assert.ok(address !== null && typeof address === 'object')
  return {
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

void describe('redis-sessions sessions: bad input gives one stderr line and exit code 2', () => {
  let secured: RedisServerHandle | undefined
  let disabled: RedisServerHandle | undefined
  let garbage: { port: number; close(): Promise<void> } | undefined
  const s = (): RedisServerHandle => need(secured, 'secured server')
  const at = (port: number) => `127.0.0.1:${port}`

  before(async () => {
    await ensureCliBuilt()
    ;[secured, disabled, garbage] = await Promise.all([
      startRedisServer({
        password: PASSWORD,
        // Everything discovery and collection need (redis.md §10) except client|list.
        aclUsers: [`nolist on >${PASSWORD} -@all +info +ping +role +client|setname +client|id`],
      }),
      startRedisServer({ args: ['--rename-command', 'CLIENT', ''] }),
      startGarbageServer(),
    ])
  })
  after(async () => {
    await Promise.all([secured?.stop(), disabled?.stop(), garbage?.close()])
  })

  void it('works with the right password and never prints it', async () => {
    const url = `redis://:${PASSWORD}@127.0.0.1:${s().port}`
    const stdout = await runCliOk(['sessions', url, '--json'])
    assert.ok(!stdout.includes(PASSWORD))
    const data = parseDasData(stdout)
    assertDasInvariants(data)
    assert.deepEqual(
      data.Nodes.map((n) => [n.NodeId, n.Status]),
      [[`cli-db-0#${s().port}`, 'ok']]
    )
  })

  void it('an unreachable host (a closed port): connection refused', async () => {
    const port = await freePort()
    const result = await runCli(['sessions', `redis://:${PASSWORD}@127.0.0.1:${port}`])
    assertOneLineFailure(result, {
      node: at(port),
      cause: /connection refused/,
      secrets: SECRETS,
    })
  })

  void it('a wrong password, and none at all: authentication failed', async () => {
    const wrong = await runCli(['sessions', `redis://:${WRONG}@127.0.0.1:${s().port}`, '--json'])
    assertOneLineFailure(wrong, {
      node: at(s().port),
      cause: /authentication failed: WRONGPASS/,
      secrets: SECRETS,
    })
    const none = await runCli(['sessions', s().url])
    assertOneLineFailure(none, { node: at(s().port), cause: /password is required: NOAUTH/ })
  })

  void it('a port that is not Redis: not a Redis server', async () => {
    const port = need(garbage, 'garbage server').port
    const result = await runCli(['sessions', `redis://:${PASSWORD}@127.0.0.1:${port}`])
    assertOneLineFailure(result, { node: at(port), cause: /not a Redis server/, secrets: SECRETS })
  })

  void it('an ACL user without +client|list: no permission, naming the node and CLIENT LIST', async () => {
    const url = `redis://nolist:${PASSWORD}@127.0.0.1:${s().port}`
    const result = await runCli(['sessions', url, '--json'])
    assertOneLineFailure(result, {
      node: `cli-db-0#${s().port}`,
      cause: new RegExp(`${at(s().port)}: no permission for CLIENT LIST: NOPERM`),
      secrets: SECRETS,
    })
  })

  void it('CLIENT renamed to "": the command is not available', async () => {
    const server = need(disabled, 'server without CLIENT')
    const result = await runCli(['sessions', server.url])
    assertOneLineFailure(result, {
      node: at(server.port),
      cause: /CLIENT SETNAME is not available .*unknown command/,
    })
  })

  void it('a URL that does not parse: the reason, and not the password', async () => {
    const result = await runCli(['sessions', `redis://admin:${PASSWORD}@127.0.0.1:63790x`])
    assertOneLineFailure(result, { cause: /port/, secrets: SECRETS })
  })

  void it('a bad option value: the option and the allowed values', async () => {
    const result = await runCli(['sessions', s().url, '--by', 'colour'])
    assertOneLineFailure(result, { cause: /--by must be one of ip, name/ })
  })
})

function need<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}
