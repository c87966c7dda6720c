import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { parseListedSessions } from '../cli/live-sessions.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { assertApiError, dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const INSTANCE = 'r-kill-filters'

// Filter semantics against a real server: `Cmd=NULL` (a client that sent no command yet), and
// ClientIp parsed as strictly as aliases (an IPv4-mapped network is the IPv4 one; inet_aton
// shorthands are refused rather than silently widened or narrowed).
void describe('KillRedisSessions filters, live', () => {
  let server: RedisServerHandle | undefined
  let test: TestApp | undefined
  let silent: Socket | undefined
  let silentAddr = ''
  const t = (): TestApp => test ?? assert.fail('no app')
  const s = (): RedisServerHandle => server ?? assert.fail('no server')

  before(async () => {
    server = await startRedisServer()
    test = await createTestApp()
    await test.store.instances.add({
      instanceId: INSTANCE,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${s().port}`],
    })
    // A client that connects and says nothing: CLIENT LIST prints `cmd=NULL` for it.
    const socket = connect(s().port, '127.0.0.1')
    silent = socket
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve).once('error', reject)
    })
    silentAddr = `127.0.0.1:${socket.localPort}`
    await waitFor(
      async () =>
        parseListedSessions(await s().cli('CLIENT', 'LIST')).some((x) => x.addr === silentAddr),
      { what: 'the silent client to be listed' }
    )
  })
  after(async () => {
    silent?.destroy()
    await test?.close()
    await server?.stop()
  })

  const call = (params: Record<string, string>) =>
    signedInject(t().app, {
      action: 'KillRedisSessions',
      params: { InstanceId: INSTANCE, DryRun: 'true', ...params },
      ...t().admin,
    })
  const addrsOf = async (params: Record<string, string>): Promise<string[]> => {
    const data = dataOf(await call(params))
    assert.ok(isJsonObject(data) && Array.isArray(data['Sessions']))
    const sessions: unknown[] = data['Sessions']
    return sessions.map((item) => (isJsonObject(item) ? String(item['Addr']) : ''))
  }

  void it('Cmd=NULL (any case) finds the client that has not sent a command', async () => {
    const listed = parseListedSessions(await s().cli('CLIENT', 'LIST'))
    assert.equal(listed.find((x) => x.addr === silentAddr)?.cmd, 'NULL')
    for (const cmd of ['NULL', 'null', 'Null']) {
      assert.deepEqual(await addrsOf({ Cmd: cmd }), [silentAddr], cmd)
    }
  })

  void it('ClientIp ::ffff:127.0.0.0/104 is 127.0.0.0/8, as for aliases', async () => {
    const mapped = await addrsOf({ ClientIp: '::ffff:127.0.0.0/104', Cmd: 'NULL' })
    assert.deepEqual(mapped, [silentAddr])
    assert.deepEqual(await addrsOf({ ClientIp: '127.0.0.0/8', Cmd: 'NULL' }), [silentAddr])
  })

  void it('refuses inet_aton forms and host bits with InvalidParams naming ClientIp', async () => {
    for (const loose of ['1', '127.1', '2130706437', '0x7f000001', '127.0.0.1/8']) {
      const detail = assertApiError(await call({ ClientIp: loose }), 'InvalidParams', 400)
      assert.match(detail, new RegExp(`^ClientIp: not an IP address or CIDR: ${loose} \\(`))
    }
    assert.ok(
      parseListedSessions(await s().cli('CLIENT', 'LIST')).some((x) => x.addr === silentAddr)
    )
  })
})
