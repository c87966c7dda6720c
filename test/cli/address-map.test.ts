import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { parseInfo } from '../support/redis-cli.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { assertOneLineFailure, ensureCliBuilt, runCli } from './run-cli.ts'

/**
 * `--address-map` of `sessions <url>` and `instances add`: a replica announcing an address
 * nobody can reach (`replica-announce-ip 127.0.0.2`, listening on 127.0.0.1 only), as behind
 * NAT or in a container. Without the map the listing is partial; with it, every node answers.
 */
void describe('redis-sessions --address-map', () => {
  let master: RedisServerHandle
  let replica: RedisServerHandle
  let dataDir = ''
  let map = ''

  before(async () => {
    await ensureCliBuilt()
    master = await startRedisServer()
    replica = await startRedisServer({
      replicaOf: master,
      args: ['--replica-announce-ip', '127.0.0.2'],
    })
    map = `127.0.0.2:${replica.port}=127.0.0.1:${replica.port}`
    await waitFor(
      async () => {
        const line = parseInfo(await master.cli('INFO', 'replication')).get('slave0') ?? ''
        return line.includes('ip=127.0.0.2,') && line.includes('state=online')
      },
      { what: 'the master to list its replica at 127.0.0.2' }
    )
    dataDir = await makeTempDir('rs-cli-address-map-')
  })
  after(async () => {
    await replica?.stop()
    await master?.stop()
    await removeTempDir(dataDir)
  })

  /** `Data.Nodes` as `NodeId Status`, and `Complete`, of a `--json` run. */
  function nodesOf(stdout: string): { nodes: string[]; complete: unknown } {
    const data = JSON.parse(stdout) as {
      Nodes: { NodeId: string; Status: string }[]
      Complete: unknown
    }
    return {
      nodes: data.Nodes.map((node) => `${node.NodeId} ${node.Status}`),
      complete: data.Complete,
    }
  }

  void it('sessions <url>: partial without the map (exit 1), complete with it (exit 0)', async () => {
    const url = `redis://127.0.0.1:${master.port}`
    const without = await runCli(['sessions', url, '--json'])
    assert.equal(without.code, 1, without.stderr)
    assert.match(without.stderr, new RegExp(`replica-0#${replica.port} failed`))
    const withMap = await runCli(['sessions', url, '--json', '--address-map', map])
    assert.equal(withMap.code, 0, withMap.stderr)
    assert.deepEqual(nodesOf(withMap.stdout), {
      nodes: [`cli-db-0#${master.port} ok`, `cli-db-0-replica-0#${replica.port} ok`],
      complete: true,
    })
  })

  void it('refuses a malformed map with one line naming the entry', async () => {
    const url = `redis://127.0.0.1:${master.port}`
    const bad = await runCli([
      'sessions',
      url,
      '--address-map',
      `127.0.0.2=127.0.0.1:${replica.port}`,
    ])
    assertOneLineFailure(bad, {
      cause: /--address-map: AddressMap entry 1: '127\.0\.0\.2' has no port/,
    })
  })

  void it('refuses --address-map with --nodes, as AddRedisInstance refuses it for Topology nodes', async () => {
    const url = `redis://127.0.0.1:${master.port}`
    const listing = await runCli(['sessions', url, '--nodes', '--address-map', map])
    assertOneLineFailure(listing, { cause: /--address-map is not for --nodes/ })
    const where = ['--data-dir', dataDir]
    const added = await runCli([
      'instances',
      'add',
      'r-proxy',
      url,
      '--nodes',
      '--address-map',
      map,
      ...where,
    ])
    assertOneLineFailure(added, {
      cause: /InvalidParams: .*AddressMap is not for Topology nodes/,
    })
    const listed = await runCli(['instances', 'list', '--json', ...where])
    assert.equal(listed.code, 0, listed.stderr)
    assert.doesNotMatch(listed.stdout, /r-proxy/)
  })

  void it('instances add --address-map: stored, listed, and used by every listing', async () => {
    const where = ['--data-dir', dataDir]
    const url = `redis://127.0.0.1:${master.port}`
    const added = await runCli(['instances', 'add', 'r-nat', url, '--address-map', map, ...where])
    assert.equal(added.code, 0, added.stderr)
    const listed = await runCli(['instances', 'list', '--json', ...where])
    assert.equal(listed.code, 0, listed.stderr)
    const list = JSON.parse(listed.stdout) as { Instances: { AddressMap?: unknown }[] }
    assert.deepEqual(list.Instances[0]?.AddressMap, [
      { From: `127.0.0.2:${replica.port}`, To: `127.0.0.1:${replica.port}` },
    ])
    const sessions = await runCli(['sessions', 'r-nat', '--json', ...where])
    assert.equal(sessions.code, 0, sessions.stderr)
    assert.deepEqual(nodesOf(sessions.stdout), {
      nodes: [`r-nat-db-0#${master.port} ok`, `r-nat-db-0-replica-0#${replica.port} ok`],
      complete: true,
    })
  })
})
