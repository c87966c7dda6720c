import assert from 'node:assert/strict'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import { freePort } from '../support/free-port.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServers, type RedisServerHandle } from '../support/redis-server.ts'
import { assertDasInvariants, parseDasData, type DasData } from './das-data.ts'
import { assertOneLineFailure, ensureCliBuilt, runCli, runCliOk } from './run-cli.ts'

const APP_PASSWORD = 'cli-options-app-pw'

/** A client of `server` that runs `setup` and then stays idle (its last command stays put). */
async function openIdle(
  server: RedisServerHandle,
  options: { name: string; user?: string; setup: (client: Redis) => Promise<unknown> }
): Promise<Redis> {
  const client = new Redis({
    host: server.host,
    port: server.port,
    ...(options.user === undefined ? {} : { username: options.user, password: APP_PASSWORD }),
    connectionName: options.name,
    lazyConnect: true,
    enableReadyCheck: false,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    disableClientInfo: true,
  })
  client.on('error', () => undefined)
  await client.connect()
  await options.setup(client)
  return client
}

/** `[key, total]` rows of a `--by` table, after checking its header. */
function groupRows(text: string, header: string): Array<[string, number]> {
  const [head, ...rows] = text.trimEnd().split('\n')
  assert.match(head ?? '', new RegExp(`^${header}\\s+TOTAL\\s+ACTIVE$`))
  return rows.map((row) => {
    const match = /^(\S+)\s+(\d+)\s+(\d+)$/.exec(row)
    assert.ok(match !== null, `row: ${row}`)
    assert.ok(Number(match[3]) <= Number(match[2]), `ACTIVE ≤ TOTAL: ${row}`)
    return [match[1] ?? '', Number(match[2])]
  })
}

type DasSession = DasData['Sessions'][number] & {
  User?: string
  LibName?: string
}

/** The `--by` key of a session, from the DAS object (the CLI's own implementation is not the oracle). */
const KEY_OF: Record<string, (s: DasSession) => string> = {
  ip: (s) => s.Client,
  name: (s) => s.Name,
  user: (s) => s.User ?? '',
  db: (s) => String(s.Db),
  node: (s) => s.NodeId,
  cmd: (s) => s.Cmd,
  lib: (s) => s.LibName ?? '',
}

/** Counts per key, largest first then by key, `(none)` for the empty key (the documented order). */
function expectedGroups(data: DasData, by: string): Array<[string, number]> {
  const keyOf = KEY_OF[by] ?? assert.fail(by)
  const counts = new Map<string, number>()
  for (const session of data.Sessions as DasSession[]) {
    const key = keyOf(session)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts]
    .sort(([a, n], [b, m]) => m - n || (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, n]) => [key === '' ? '(none)' : key, n])
}

// Two independent servers listed as `--nodes` (so nothing changes between two runs: no
// replication link), each with idle sessions of two users, three databases, several commands.
void describe('redis-sessions sessions: output options, widths and conflicts', () => {
  let servers: RedisServerHandle[] = []
  let clients: Redis[] = []
  let dir = ''
  const a = () => servers[0] ?? assert.fail('no server a')
  const b = () => servers[1] ?? assert.fail('no server b')
  const url = () => `redis://127.0.0.1:${a().port},127.0.0.1:${b().port}`
  const nodeIds = () => [`cli-proxy-0#${a().port}`, `cli-proxy-1#${b().port}`]
  const list = (...args: string[]) => ['sessions', url(), '--nodes', ...args]

  before(async () => {
    await ensureCliBuilt()
    dir = await makeTempDir('rs-cli-options-')
    servers = await startRedisServers(2, {
      aclUsers: [`app on >${APP_PASSWORD} ~* &* +@all`],
    })
    clients = await Promise.all([
      openIdle(a(), { name: 'web-1', setup: (c) => c.ping() }),
      openIdle(a(), { name: 'web-2', setup: async (c) => c.select(2).then(() => c.ping()) }),
      openIdle(a(), {
        name: 'app-1',
        user: 'app',
        setup: (c) => c.select(3).then(() => c.get('k')),
      }),
      openIdle(a(), { name: '=1+2', setup: (c) => c.echo('x') }),
      openIdle(b(), { name: 'app-2', user: 'app', setup: (c) => c.ping() }),
      openIdle(b(), { name: '-rm', setup: (c) => c.echo('y') }),
      openIdle(b(), {
        name: 'a-very-long-client-name-for-narrow-terminals',
        setup: (c) => c.ping(),
      }),
    ])
  })
  after(async () => {
    for (const client of clients) client.disconnect()
    await Promise.all(servers.map((s) => s.stop()))
    if (dir !== '') await removeTempDir(dir)
  })

  void it('--by ip|name|user|db|node|cmd|lib: the counts of the --json listing, every value', async () => {
    const data = parseDasData(await runCliOk(list('--json')))
    assertDasInvariants(data)
    assert.equal(data.Complete, true)
    const distinct = new Map<string, number>()
    for (const by of Object.keys(KEY_OF)) {
      const rows = groupRows(await runCliOk(list('--by', by)), by.toUpperCase())
      assert.deepEqual(rows, expectedGroups(data, by), `--by ${by}`)
      assert.equal(
        rows.reduce((sum, [, n]) => sum + n, 0),
        data.Total,
        `--by ${by} counts every session once`
      )
      distinct.set(by, rows.length)
    }
    // The fixture makes the groupings meaningful: several users, databases, nodes, commands.
    assert.ok((distinct.get('user') ?? 0) >= 2, 'default and app')
    assert.ok((distinct.get('db') ?? 0) >= 3, 'db 0, 2 and 3')
    assert.equal(distinct.get('node'), 2)
    assert.ok((distinct.get('cmd') ?? 0) >= 3, 'ping, get, echo')
    const byNode = groupRows(await runCliOk(list('--by', 'node')), 'NODE')
    assert.deepEqual(byNode.map(([key]) => key).sort(), nodeIds())
  })

  void it('fits the table to COLUMNS: NODE and ID kept for several nodes, NAME before FLAGS', async () => {
    const data = parseDasData(await runCliOk(list('--json')))
    const full = (await runCliOk(list())).trimEnd().split('\n')
    assert.deepEqual(full[0]?.split(/\s+/), [
      'NODE', 'ID', 'ADDR', 'NAME', 'AGE', 'IDLE', 'FLAGS', 'DB', 'CMD', 'USER', 'LIB', 'OMEM',
      'TOT-MEM',
    ]) // prettier-ignore
    for (const columns of [100, 60, 40]) {
      const result = await runCli(list(), 30_000, { env: { COLUMNS: String(columns) } })
      assert.equal(result.code, 0, result.stderr)
      const lines = result.stdout.trimEnd().split('\n')
      assert.equal(lines.length, data.Total + 1)
      const header = lines[0]?.split(/\s+/) ?? []
      assert.deepEqual(header.slice(0, 2), ['NODE', 'ID'], `COLUMNS=${columns}`)
      assert.ok(header.length < 13, `some columns dropped at ${columns}`)
      if (header.includes('FLAGS')) assert.ok(header.includes('NAME'), 'NAME outlives FLAGS')
      const rowKeys = lines.slice(1).map((line) => line.split(/\s+/).slice(0, 2).join(' '))
      assert.deepEqual(rowKeys.sort(), data.Sessions.map((s) => `${s.NodeId} ${s.Id}`).sort())
      assert.ok(
        lines.every((line) => line.length <= columns),
        `every line within ${columns} columns:\n${result.stdout}`
      )
    }
  })

  void it('--by name at 30 columns keeps NAME, TOTAL and ACTIVE, cutting long names', async () => {
    const result = await runCli(list('--by', 'name'), 30_000, { env: { COLUMNS: '30' } })
    assert.equal(result.code, 0, result.stderr)
    const lines = result.stdout.trimEnd().split('\n')
    assert.match(lines[0] ?? '', /^NAME\s+TOTAL\s+ACTIVE$/)
    assert.ok(
      lines.every((line) => line.length <= 30),
      result.stdout
    )
    assert.ok(
      lines.slice(1).every((line) => /\s\d+\s+\d+$/.test(line)),
      result.stdout
    )
    assert.ok(
      lines.some((line) => /^a-very-long-\S*…\s/.test(line)),
      result.stdout
    )
  })

  void it('--csv puts a quote before names a spreadsheet would run as formulas', async () => {
    const csv = await runCliOk(list('--csv'))
    const names = csv
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((row) => row.split(',')[4])
    assert.ok(names.includes(`'=1+2`), csv)
    assert.ok(names.includes(`'-rm`), csv)
    assert.ok(!names.includes('=1+2') && !names.includes('-rm'))
    assert.ok(names.includes('web-1'))
  })

  void it('refuses conflicting options with one line and exit 2, before connecting', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`
    const ca = join(dir, 'ca.pem')
    await writeFile(ca, 'not a certificate')
    const cases: Array<[string[], RegExp]> = [
      [['sessions', closed, '--json', '--csv'], /give one of --json, --csv/],
      [['sessions', closed, '--by', 'ip', '--json'], /--by .*not with --json or --csv/],
      [['sessions', closed, '--by', 'user', '--csv'], /--by .*not with --json or --csv/],
      [
        ['sessions', closed, '--cluster', '--sentinel', 'm', '--nodes'],
        /^redis-sessions: --cluster, --sentinel, --nodes: give one of --cluster, --sentinel NAME, --nodes$/,
      ],
      [['sessions', closed, '--cluster', '--nodes'], /: --cluster, --nodes: give one of --cluster/],
      [['sessions', 'r-prod', '--cluster'], /--cluster: for a redis:\/\/ target/],
      [['sessions', 'r-prod', '--tls-insecure'], /--tls-insecure: for a redis:\/\/ target/],
      [['sessions', closed, '--data-dir', dir], /--data-dir: for a registered InstanceId/],
      [
        ['sessions', closed, '--endpoint', 'http://127.0.0.1:1'],
        /--endpoint: for a registered InstanceId/,
      ],
      [['sessions', closed, '--tls-ca', ca], /--tls-ca needs a rediss:\/\/ URL/],
    ]
    for (const [args, cause] of cases) {
      assertOneLineFailure(await runCli(args), { cause })
    }
  })

  void it('--node naming no node of the deployment: exit 2 naming the nodes there are', async () => {
    const result = await runCli(list('--node', 'cli-db-0#1'))
    assertOneLineFailure(result, {
      cause: new RegExp(
        `--node cli-db-0#1 is not a node of this deployment: ${nodeIds().join(', ')}$`
      ),
    })
    const known = parseDasData(await runCliOk(list('--json', '--node', nodeIds()[1] ?? '')))
    assert.ok(known.Sessions.length > 0)
    assert.ok(known.Sessions.every((s) => s.NodeId === nodeIds()[1]))
  })

  void it('ends quietly when the reader of stdout goes away (EPIPE), keeping the exit code', async () => {
    for (const format of [[], ['--json'], ['--csv'], ['--by', 'name']]) {
      const result = await runCli(list(...format), 30_000, { closeStdout: true })
      assert.deepEqual([result.code, result.signal, result.stderr], [0, null, ''], format.join(' '))
    }
    // A partial result still exits 1, its failed node on stderr.
    const dead = await freePort()
    const partial = await runCli(
      ['sessions', `${url()},127.0.0.1:${dead}`, '--nodes', '--json'],
      30_000,
      { closeStdout: true }
    )
    assert.equal(partial.code, 1)
    assert.match(
      partial.stderr,
      new RegExp(`^node cli-proxy-2#${dead} failed: .*ECONNREFUSED.*\\n$`)
    )
    // A failure whose stderr is gone: still exit 2, no crash.
    const failed = await runCli(['sessions', `redis://127.0.0.1:${dead}`], 30_000, {
      closeStderr: true,
    })
    assert.deepEqual([failed.code, failed.signal, failed.stdout], [2, null, ''])
  })

  void it('instances list | head: ends quietly too', async () => {
    const store = join(dir, 'store-with-one')
    await runCliOk([
      'instances', 'add', 'r-options', url(), '--nodes', '--skip-check', '--data-dir', store,
    ]) // prettier-ignore
    const listed = await runCliOk(['instances', 'list', '--data-dir', store])
    assert.match(listed, /r-options/)
    for (const json of [[], ['--json']]) {
      const result = await runCli(['instances', 'list', '--data-dir', store, ...json], 30_000, {
        closeStdout: true,
      })
      assert.deepEqual([result.code, result.signal, result.stderr], [0, null, ''])
    }
  })

  void it('an unknown instance in a directory without a store: says so and creates nothing', async () => {
    const empty = join(dir, 'no-store-here')
    const result = await runCli(['sessions', 'r-nosuch', '--data-dir', empty])
    assertOneLineFailure(result, {
      cause: /no instance r-nosuch: there is no store in .*no-store-here/,
    })
    const kill = await runCli(['kill', 'r-nosuch', '--dry-run', '--data-dir', empty])
    assertOneLineFailure(kill, { cause: /no instance r-nosuch: there is no store in / })
    await assert.rejects(readdir(empty), /ENOENT/)
  })

  void it('a --tls-ca file that cannot be read: the option, the file and the reason, once', async () => {
    const missing = join(dir, 'missing-ca.pem')
    const sessions = await runCli(['sessions', 'rediss://127.0.0.1:1', '--tls-ca', missing])
    assertOneLineFailure(sessions, {
      cause: new RegExp(`cannot read --tls-ca ${missing}: no such file \\(ENOENT\\)$`),
    })
    const add = await runCli([
      'instances', 'add', 'r-tls', 'rediss://127.0.0.1:1', '--skip-check', '--tls-ca', missing,
      '--data-dir', join(dir, 'tls-store'),
    ]) // prettier-ignore
    assertOneLineFailure(add, { cause: /cannot read --tls-ca .*: no such file \(ENOENT\)$/ })
    assert.doesNotMatch(sessions.stderr + add.stderr, /ENOENT: ENOENT/)
  })
})
