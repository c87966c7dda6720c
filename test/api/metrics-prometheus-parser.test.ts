import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { freePort } from '../support/free-port.ts'
import { parsePrometheusText } from '../support/prometheus-text.ts'
import { startReplication, type Replication } from '../support/redis-replication.ts'
import { createMetricsApp } from './support/metrics-app.ts'
import { dataOf, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

type Family = parsePrometheusTextFormat.Family

/** A sample value as written in the text format, as a number ("+Inf" is not `Number`'s). */
function numberOf(text: string | undefined): number {
  if (text === '+Inf') return Infinity
  if (text === '-Inf') return -Infinity
  const value = Number(text)
  assert.ok(text === 'NaN' || !Number.isNaN(value), `not a number: ${text}`)
  return value
}

/** `labels → value` of a counter or gauge family, keyed by its labels sorted as JSON. */
function seriesOf(samples: { labels: Readonly<Record<string, string>>; value: number }[]) {
  const key = (labels: Readonly<Record<string, string>>) =>
    JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)))
  return new Map(samples.map((s) => [key(s.labels), s.value]))
}

/**
 * The whole `/metrics` body of a server with live instances, read by a Prometheus text parser
 * that is not ours (parse-prometheus-text-format, a port of the Prometheus Python client's
 * parser), and checked against our own strict one (test/support/prometheus-text.ts).
 */
describe('GET /metrics read by parse-prometheus-text-format', () => {
  let group: Replication
  let testApp: TestApp
  let app: FastifyInstance
  let body = ''
  let families: Family[] = []
  let deadPort = 0

  before(async () => {
    group = await startReplication({ replicas: 1 })
    deadPort = await freePort()
    testApp = await createTestApp()
    app = await createMetricsApp(testApp)
    await testApp.store.instances.add({
      instanceId: 'r-live',
      topology: 'standalone',
      endpoints: [`127.0.0.1:${group.master.port}`],
    })
    await testApp.store.instances.add({
      instanceId: 'r-half',
      topology: 'nodes',
      endpoints: [`127.0.0.1:${group.master.port}`, `127.0.0.1:${deadPort}`],
    })
    const call = (instanceId: string) =>
      signedInject(app, {
        action: 'GetRedisAllSession',
        params: { InstanceId: instanceId },
        ...testApp.admin,
      })
    dataOf(await call('r-live'))
    dataOf(await call('r-half'))
    assert.equal((await call('r-unknown')).status, 404)
    const response = await app.inject({ method: 'GET', url: '/metrics' })
    assert.equal(response.statusCode, 200)
    body = response.body
    families = parsePrometheusTextFormat(body)
  })

  after(async () => {
    await app?.close()
    await testApp?.close()
    await group?.stop()
  })

  const family = (name: string): Family => {
    const found = families.find((f) => f.name === name)
    assert.ok(found, `no family ${name}`)
    return found
  }

  it('reads every family once, each with its TYPE and HELP', () => {
    assert.ok(families.length >= 10, `${families.length} families`)
    const names = families.map((f) => f.name)
    // A family split in two (its lines not contiguous) would be listed twice.
    assert.deepEqual(names, [...new Set(names)])
    for (const f of families) {
      assert.notEqual(f.type, 'UNTYPED', f.name)
      assert.ok(f.help.length > 0, `${f.name} has no HELP`)
    }
    const types = Object.fromEntries(families.map((f) => [f.name, f.type]))
    assert.deepEqual(
      {
        sessions: types['redis_sessions_sessions'],
        up: types['redis_sessions_node_up'],
        sources: types['redis_sessions_source_sessions'],
        errors: types['redis_sessions_collect_errors_total'],
        duration: types['redis_sessions_collect_duration_seconds'],
        requests: types['redis_sessions_http_requests_total'],
        cpu: types['redis_sessions_process_cpu_user_seconds_total'],
      },
      {
        sessions: 'GAUGE',
        up: 'GAUGE',
        sources: 'GAUGE',
        errors: 'COUNTER',
        duration: 'HISTOGRAM',
        requests: 'COUNTER',
        cpu: 'COUNTER',
      }
    )
  })

  it('labels every node of the live instances and the failed one', () => {
    const up = family('redis_sessions_node_up').metrics.map((m) => [
      m.labels?.['instance'],
      m.labels?.['node'],
      m.labels?.['role'],
      m.value,
    ])
    const master = group.master.port
    const replica = group.replicas[0]?.port
    assert.deepEqual(
      up.sort((a, b) => (String(a[1]) < String(b[1]) ? -1 : 1)),
      [
        ['r-half', `r-half-proxy-0#${master}`, 'proxy', '1'],
        ['r-half', `r-half-proxy-1#${deadPort}`, 'proxy', '0'],
        ['r-live', `r-live-db-0#${master}`, 'master', '1'],
        ['r-live', `r-live-db-0-replica-0#${replica}`, 'replica', '1'],
      ]
    )
    const errors = family('redis_sessions_collect_errors_total').metrics.map((m) => m.labels)
    assert.deepEqual(errors, [
      { instance: 'r-half', node: `r-half-proxy-1#${deadPort}`, code: 'ConnectFailed' },
    ])
    const requests = family('redis_sessions_http_requests_total').metrics.map((m) => [
      m.labels?.['action'],
      m.labels?.['code'],
      m.value,
    ])
    assert.deepEqual(
      requests.filter(([action]) => action === 'GetRedisAllSession'),
      [
        ['GetRedisAllSession', '200', '2'],
        ['GetRedisAllSession', 'InvalidInstanceId.NotFound', '1'],
      ]
    )
    const sessions = family('redis_sessions_sessions').metrics
    assert.ok(
      sessions.every((m) => numberOf(m.value) >= 1),
      'every node lists a session'
    )
  })

  it('agrees with our strict parser on every counter and gauge series', () => {
    const ours = parsePrometheusText(body)
    assert.deepEqual(
      families.map((f) => f.name),
      [...ours.keys()]
    )
    for (const f of families) {
      if (f.type !== 'COUNTER' && f.type !== 'GAUGE') continue
      const theirs = seriesOf(
        f.metrics.map((m) => ({ labels: m.labels ?? {}, value: numberOf(m.value) }))
      )
      assert.deepEqual(theirs, seriesOf(ours.get(f.name)?.samples ?? []), f.name)
    }
  })

  it('reads the histograms’ buckets (folded over label sets: the library keeps le only)', () => {
    // This parser folds all series of a histogram into one bucket map and drops a labelled
    // _sum/_count, so only the bucket bounds are compared; our parser checks the counts.
    const ours = parsePrometheusText(body)
    for (const f of families.filter((x) => x.type === 'HISTOGRAM')) {
      const buckets = Object.keys(f.metrics[0]?.buckets ?? {}).sort()
      const bounds = [
        ...new Set(
          (ours.get(f.name)?.samples ?? [])
            .filter((s) => s.name.endsWith('_bucket'))
            .map((s) => s.labels['le'] ?? '')
        ),
      ].sort()
      assert.ok(buckets.includes('+Inf'), f.name)
      assert.deepEqual(buckets, bounds, f.name)
    }
  })
})
