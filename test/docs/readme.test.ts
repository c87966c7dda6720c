import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { testLogger } from '../support/test-logs.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer, type RunningServer } from '../../src/server/start-server.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { openMixedSessions, type MixedSessions } from '../support/client-sessions.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const KEY = { id: 'LTAIreadmeExampleKey0001', secret: 'readme-example-secret-value' }

/** The README's SDK snippet must work as printed (issue #3): only the port differs. */
describe('README', () => {
  let redis: RedisServerHandle | undefined
  let server: RunningServer | undefined
  let sessions: MixedSessions | undefined
  let dataDir = ''
  before(async () => {
    redis = await startRedisServer()
    sessions = await openMixedSessions(redis, { count: 3 })
    dataDir = await makeTempDir('readme-')
    const env = {
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: KEY.id,
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: KEY.secret,
      REDIS_SESSIONS_ADMIN_PASSWORD: 'readme-admin-password',
      REDIS_SESSIONS_HISTORY_INTERVAL_S: '0',
    }
    server = await startServer(loadConfig(env, { port: 0, dataDir }), testLogger('readme'))
    await server.store.instances.add({
      instanceId: 'r-local',
      topology: 'standalone',
      endpoints: [`127.0.0.1:${redis.port}`],
    })
  })
  after(async () => {
    await server?.close()
    await sessions?.close()
    await redis?.stop()
    await removeTempDir(dataDir)
  })

  void it('shows the two commands first', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
    const firstBlock = readme.slice(
      readme.indexOf('```bash'),
      readme.indexOf('```', readme.indexOf('```bash') + 3)
    )
    assert.match(firstBlock, /npm install && npm start/)
    assert.match(firstBlock, /npm test/)
  })

  void it('runs the SDK example as printed against a real server and Redis', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
    const start = readme.indexOf('```js sdk-example')
    assert.notEqual(start, -1, 'README has a ```js sdk-example block')
    const body = readme.slice(readme.indexOf('\n', start) + 1, readme.indexOf('```', start + 3))
    assert.match(body, /http:\/\/127\.0\.0\.1:8080/)
    const script = body.replace('http://127.0.0.1:8080', server?.url ?? '')
    // Inside the repository, so `@alicloud/pop-core` resolves from node_modules.
    await mkdir(join(ROOT, '.tmp'), { recursive: true })
    const file = join(ROOT, '.tmp', `readme-example-${process.pid}.mjs`)
    await writeFile(file, script)
    try {
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          [file],
          {
            env: {
              ...process.env,
              ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.id,
              ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.secret,
            },
            timeout: 30_000,
          },
          (error, out, err) =>
            error === null ? resolve(out) : reject(new Error(`${error.message}\n${err}`))
        )
      })
      assert.match(stdout, /^[1-9]\d* sessions, complete: true$/m)
      assert.match(stdout, /^127\.0\.0\.1 \d+ \d+$/m)
    } finally {
      await rm(file, { force: true })
    }
  })
})
