import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import { fileURLToPath } from 'node:url'
import { testLogger } from '../support/test-logs.ts'
import { z } from 'zod'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer, type RunningServer } from '../../src/server/start-server.ts'
import { INSTANCE_WIRE } from '../api/support/instance-wire.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { assertOneLineFailure, ensureCliBuilt, type CliResult } from './run-cli.ts'

const BIN = fileURLToPath(new URL('../../bin/redis-sessions.js', import.meta.url))
const PASSWORD = 'cli-Pw-8d2f'
const ADMIN = { id: 'LTAIcliInstancesAdmin1', secret: 'cli-instances-admin-secret-0123' }
const LIST = z.strictObject({ Total: z.number(), Instances: z.array(INSTANCE_WIRE) })
const SESSIONS = z.object({
  Total: z.number(),
  Sessions: z.array(z.object({ Name: z.string(), NodeId: z.string() })),
  Nodes: z.array(z.object({ NodeId: z.string(), Status: z.string() })),
  Complete: z.boolean(),
})

/** Runs the built CLI with exactly `env` (plus PATH), as a user's shell would. */
async function run(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (c: number | null, s: NodeJS.Signals | null) => resolve([c, s]))
  ).finally(() => clearTimeout(timer))
  return { code, signal, stdout, stderr }
}

async function ok(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await run(args, env)
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
  assert.equal(result.stderr, '')
  assert.equal(result.stdout.includes(PASSWORD), false, 'a password was printed')
  return result.stdout
}

/**
 * The same scenario on both paths: the local store (`--data-dir`) and a server
 * (`--endpoint` + the AccessKey in the environment). Both must print the same shapes.
 */
function scenario(
  name: string,
  where: () => { args: string[]; env: Record<string, string> },
  redis: () => RedisServerHandle
): void {
  void describe(name, () => {
    const cli = (...args: string[]) => ok([...args, ...where().args], where().env)
    const fail = (...args: string[]) => run([...args, ...where().args], where().env)

    void it('adds an instance from a redis URL after probing it', async () => {
      const url = `redis://:${PASSWORD}@127.0.0.1:${redis().port}`
      const out = await cli('instances', 'add', 'r-cli', url, '--description', 'from the CLI')
      assert.equal(out, 'added r-cli (standalone: 1 master)\n')
    })

    void it('lists it without secrets, as text and as JSON', async () => {
      const list = LIST.parse(JSON.parse(await cli('instances', 'list', '--json')))
      assert.equal(list.Total, 1)
      const [instance] = list.Instances
      assert.equal(instance?.InstanceId, 'r-cli')
      assert.deepEqual(instance?.Endpoints, [`127.0.0.1:${redis().port}`])
      assert.equal(instance?.HasPassword, true)
      assert.equal(instance?.Description, 'from the CLI')
      const text = await cli('instances', 'list')
      assert.match(text, /^INSTANCE +TOPOLOGY +ENDPOINTS/)
      assert.match(text, new RegExp(`\\nr-cli +standalone +127\\.0\\.0\\.1:${redis().port} `))
    })

    void it('prints the sessions of the registered instance (sessions <id> --json)', async () => {
      const data = SESSIONS.parse(JSON.parse(await cli('sessions', 'r-cli', '--json')))
      assert.deepEqual(
        data.Nodes.map((node) => [node.NodeId, node.Status]),
        [[`r-cli-db-0#${redis().port}`, 'ok']]
      )
      assert.equal(data.Complete, true)
      const named = data.Sessions.filter((session) => session.Name === 'cli-instances-probe')
      assert.equal(named.length, 1, 'the named session of the test is listed')
      const filtered = SESSIONS.parse(
        JSON.parse(await cli('sessions', 'r-cli', '--json', '--name', 'cli-instances-*'))
      )
      assert.deepEqual(
        filtered.Sessions.map((session) => session.Name),
        ['cli-instances-probe']
      )
    })

    void it('fails on one line for a duplicate, a bad probe and an unknown instance', async () => {
      const url = `redis://:${PASSWORD}@127.0.0.1:${redis().port}`
      const duplicate = await fail('instances', 'add', 'r-cli', url)
      assertOneLineFailure(duplicate, { cause: /EntityAlreadyExists/, secrets: [PASSWORD] })
      const wrong = await fail(
        'instances',
        'add',
        'r-bad',
        `redis://:Wrong-Pw-77@127.0.0.1:${redis().port}`
      )
      assertOneLineFailure(wrong, { cause: /InstanceConnectionFailed/, secrets: ['Wrong-Pw-77'] })
      const unknown = await fail('sessions', 'r-nope', '--json')
      assertOneLineFailure(unknown, { cause: /r-nope/ })
    })

    void it('removes the instance', async () => {
      assert.equal(await cli('instances', 'remove', 'r-cli'), 'removed r-cli\n')
      const again = await fail('instances', 'remove', 'r-cli')
      assertOneLineFailure(again, { cause: /InvalidInstanceId\.NotFound/ })
      assert.deepEqual(LIST.parse(JSON.parse(await cli('instances', 'list', '--json'))), {
        Total: 0,
        Instances: [],
      })
    })
  })
}

void describe('redis-sessions instances and sessions <InstanceId>', () => {
  let redis: RedisServerHandle
  let localDir = ''
  let serverDir = ''
  let server: RunningServer | undefined
  let probe: Redis | undefined

  before(async () => {
    await ensureCliBuilt()
    redis = await startRedisServer({ password: PASSWORD })
    // A session of our own to find in the listing.
    probe = new Redis({
      port: redis.port,
      host: redis.host,
      password: PASSWORD,
      connectionName: 'cli-instances-probe',
    })
    await probe.ping()
    localDir = await makeTempDir('rs-cli-instances-')
    serverDir = await makeTempDir('rs-cli-instances-server-')
    const env = {
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: ADMIN.id,
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: ADMIN.secret,
      REDIS_SESSIONS_ADMIN_PASSWORD: 'cli-instances-console-pw',
    }
    const config = loadConfig(env, { dataDir: serverDir, port: 0 })
    server = await startServer(config, testLogger('cli-instances'))
  })
  after(async () => {
    await server?.close()
    probe?.disconnect()
    await redis?.stop()
    if (localDir !== '') await removeTempDir(localDir)
    if (serverDir !== '') await removeTempDir(serverDir)
  })

  scenario(
    'on the local store (--data-dir)',
    () => ({ args: ['--data-dir', localDir], env: {} }),
    () => redis
  )
  scenario(
    'on a server (--endpoint and the AccessKey in the environment)',
    () => ({
      args: ['--endpoint', server?.url ?? ''],
      env: { ALIBABA_CLOUD_ACCESS_KEY_ID: ADMIN.id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: ADMIN.secret },
    }),
    () => redis
  )
})
