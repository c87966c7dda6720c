import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openLocalStore } from '../../src/cli/local-store.ts'
import { freePort } from '../support/free-port.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { openNamedSessions, type NamedSessions } from './live-sessions.ts'
import { ensureCliBuilt, runCli } from './run-cli.ts'

const INSTANCE = 'r-cli-kill-partial'

// A `nodes` instance whose second endpoint has nobody listening: `kill` must not say "no session
// matches" and exit 0 as if it had looked everywhere.
void describe('redis-sessions kill when a node cannot be listed', () => {
  let redis: RedisServerHandle | undefined
  let dataDir = ''
  let closedPort = 0
  let opened: NamedSessions | undefined
  const r = (): RedisServerHandle => redis ?? assert.fail('no redis')
  const local = (...args: string[]) => [...args, '--data-dir', dataDir]
  const deadNode = () => `${INSTANCE}-proxy-1#${closedPort}`

  before(async () => {
    await ensureCliBuilt()
    redis = await startRedisServer()
    closedPort = await freePort()
    dataDir = await makeTempDir('rs-cli-kill-partial-')
    const store = await openLocalStore({ dataDir, env: process.env })
    await store.store.instances
      .add({
        instanceId: INSTANCE,
        topology: 'nodes',
        endpoints: [`127.0.0.1:${r().port}`, `127.0.0.1:${closedPort}`],
      })
      .finally(() => store.close())
    opened = await openNamedSessions(r(), { count: 3, prefix: 'partial' })
  })
  after(async () => {
    await opened?.close()
    await redis?.stop()
    if (dataDir !== '') await removeTempDir(dataDir)
  })

  void it('a filter matching nothing: exit 1, the failed node and its cause on stderr', async () => {
    const result = await runCli(local('kill', INSTANCE, '--name', 'nobody-*', '--dry-run'))
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stdout, /^no session matches on the nodes that answered \(/)
    assert.equal(
      result.stderr,
      `node ${deadNode()} failed: 127.0.0.1:${closedPort}: connection refused (ECONNREFUSED)\n`
    )
  })

  void it('--json --yes kills what the answering node has, exit 1, Complete false', async () => {
    const result = await runCli(local('kill', INSTANCE, '--name', 'partial-*', '--yes', '--json'))
    assert.equal(result.code, 1, result.stderr)
    const data: unknown = JSON.parse(result.stdout)
    assert.ok(typeof data === 'object' && data !== null)
    assert.equal(Reflect.get(data, 'Killed'), 3)
    assert.equal(Reflect.get(data, 'Complete'), false)
    assert.match(result.stderr, new RegExp(`^node ${deadNode()} failed: .*connection refused`))
  })
})
