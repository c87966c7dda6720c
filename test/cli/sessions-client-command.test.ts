import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { ensureCliBuilt, runCli } from './run-cli.ts'

// A server whose CLIENT command was renamed (rename-command, redis.md §11 pitfall 5).
describe('sessions --client-command', () => {
  let server: RedisServerHandle | undefined
  before(async () => {
    await ensureCliBuilt()
    server = await startRedisServer({ args: ['--rename-command', 'CLIENT', 'OPS-CLIENT'] })
  })
  after(async () => {
    await server?.stop()
  })

  void it('lists the sessions under the renamed command, and explains the failure without it', async () => {
    const url = `redis://127.0.0.1:${server?.port ?? 0}`
    const renamed = await runCli(['sessions', url, '--json', '--client-command', 'OPS-CLIENT'])
    assert.equal(renamed.code, 0, renamed.stderr)
    const data = JSON.parse(renamed.stdout) as { Complete: boolean; Nodes: { Status: string }[] }
    assert.equal(data.Complete, true)
    assert.deepEqual(
      data.Nodes.map((node) => node.Status),
      ['ok']
    )
    const plain = await runCli(['sessions', url, '--json'])
    assert.equal(plain.code, 2)
    assert.match(plain.stderr, /--client-command/)
  })
})
