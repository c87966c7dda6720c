/**
 * SIGKILL of the server (`redis-sessions serve`, a child process) in the middle of registry
 * changes: four workers loop over AddRedisInstance / ModifyRedisInstance (SkipCheck) changing
 * endpoints, password and description together; the process is killed at a seeded random point
 * with requests in flight. After a restart every instance row must be whole and consistent (its
 * three fields from one change: transactions), every acknowledged change must be there (durable),
 * and the database must pass the store's checks. Seeded, bounded in count and time.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { ensureCliBuilt } from '../cli/run-cli.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { ADMIN, callApi, dataOf, isRecord } from './support/live-api.ts'
import { serveEnv, startServeChild, type ServeChild } from './support/serve-child.ts'
import { checkStore } from './support/store-check.ts'

const SEED = Number(process.env['RELIABILITY_KILL_SEED'] ?? 7)
const INSTANCES = 12
const WORKERS = 4
const MAX_REQUESTS = 2000
const TIME_LIMIT_MS = 60_000

/** mulberry32: a small seeded PRNG, so a failing kill point can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** The three fields of generation `g` of instance `i`: all from one change, or the row is torn. */
function fieldsOf(i: number, g: number) {
  return { port: 20_000 + g, password: `pw-${i}-${g}-${'p'.repeat(40)}`, description: `gen ${g}` }
}

void describe('SIGKILL during registry changes', () => {
  let dataDir = ''
  let child: ServeChild | undefined
  const masterKeyHex = randomBytes(32).toString('hex')

  before(async () => {
    await ensureCliBuilt()
    dataDir = await makeTempDir('rs-sigkill-')
  })
  after(async () => {
    child?.kill()
    await child?.exited
    await removeTempDir(dataDir)
  })

  void it('leaves every instance row whole, consistent and durable after a restart', async () => {
    const random = prng(SEED)
    const acked = new Map<number, number>() // instance → last acknowledged generation
    const sent = new Map<number, Set<number>>()
    const nextGen = new Map<number, number>()
    // Instances known to exist: an Add was acknowledged, or answered EntityAlreadyExists.
    const known = new Set<number>()
    let issued = 0
    const started = Date.now()

    /** One life of the server: changes until `killAfter` are acknowledged, then SIGKILL. */
    const round = async (killAfter: number): Promise<number> => {
      const server = await startServeChild(dataDir, serveEnv(masterKeyHex))
      child = server
      let completed = 0
      let killed = false
      const worker = async (w: number): Promise<void> => {
        const mine = Array.from({ length: INSTANCES }, (_, i) => i).filter((i) => i % WORKERS === w)
        for (;;) {
          if (killed || issued >= MAX_REQUESTS || Date.now() - started > TIME_LIMIT_MS) return
          const i = mine[Math.floor(random() * mine.length)] ?? w
          const g = (nextGen.get(i) ?? 0) + 1
          nextGen.set(i, g)
          const f = fieldsOf(i, g)
          const add = !known.has(i)
          sent.set(i, (sent.get(i) ?? new Set()).add(g))
          issued++
          const params = {
            InstanceId: `r-kill-${i}`,
            Endpoints: `127.0.0.1:${f.port}`,
            Password: f.password,
            Description: f.description,
            SkipCheck: 'true',
            ...(add ? { Topology: 'standalone' } : {}),
          }
          const action = add ? 'AddRedisInstance' : 'ModifyRedisInstance'
          let answer
          try {
            answer = await callApi(server.url, ADMIN, action, params)
          } catch {
            return // the server is gone
          }
          // An Add in flight at the kill may have committed: then this one finds it.
          if (add && answer.json['Code'] === 'EntityAlreadyExists') {
            known.add(i)
            continue
          }
          assert.equal(answer.status, 200, `${action} r-kill-${i} gen ${g}: ${answer.text}`)
          known.add(i)
          acked.set(i, g)
          completed++
          if (completed === killAfter && !killed) {
            killed = true
            server.kill('SIGKILL')
          }
        }
      }
      await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)))
      assert.ok(killed, `the kill point (${killAfter}) was reached`)
      assert.deepEqual(await server.exited, { code: null, signal: 'SIGKILL' })
      return completed
    }
    const rounds: number[] = []
    for (let r = 0; r < 3; r++) rounds.push(await round(20 + Math.floor(random() * 150)))
    process.stdout.write(
      `# sigkill: seed ${SEED}, 3 kills after ${rounds.join(', ')} acknowledged changes; ` +
        `${issued} issued\n`
    )

    // Restart on the same directory: it must come up and list complete rows.
    child = await startServeChild(dataDir, serveEnv(masterKeyHex))
    const listed = dataOf(
      await callApi(child.url, ADMIN, 'DescribeRedisInstances', { PageSize: '100' })
    )
    const instances = listed['Instances']
    assert.ok(Array.isArray(instances))
    const byId = new Map(
      instances.map((item: unknown) => {
        assert.ok(isRecord(item))
        return [String(item['InstanceId']), item]
      })
    )
    child.kill('SIGTERM')
    await child.exited
    child = undefined

    const stored = await checkStore(dataDir, masterKeyHex)
    for (const { instance, password } of stored) {
      const i = Number(/^r-kill-(\d+)$/.exec(instance.instanceId)?.[1])
      const g = Number(/^gen (\d+)$/.exec(instance.description)?.[1])
      assert.ok(sent.get(i)?.has(g), `${instance.instanceId}: generation ${g} was sent`)
      const f = fieldsOf(i, g)
      assert.deepEqual([instance.endpoints, password], [[`127.0.0.1:${f.port}`], f.password])
      assert.ok(g >= (acked.get(i) ?? 0), `${instance.instanceId}: acknowledged gen kept`)
      assert.deepEqual(byId.get(instance.instanceId)?.['Endpoints'], instance.endpoints)
    }
    const storedIds = new Set(stored.map((s) => s.instance.instanceId))
    for (const i of acked.keys()) assert.ok(storedIds.has(`r-kill-${i}`), `r-kill-${i} was acked`)
    assert.equal(byId.size, stored.length)
  })
})
