// The console's instance registry, statistics by source, history, export and partial listings,
// end to end against a real server, redis-server and Chromium.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import type { HistoryPoint } from '../../src/store/store.ts'
import {
  columnValues,
  eventually,
  rowCountText,
  screenshot,
  signIn,
} from './support/console-page.ts'
import { ADMIN, startConsoleStack, type ConsoleStack } from './support/console-stack.ts'
import { openRawSessions, type RawSessions } from './support/raw-sessions.ts'

const INSTANCE = 'r-orders-cache'
const GRID = `document.querySelector('[data-testid="sessions-grid"]')`
const SOURCES = [
  { source: '127.0.0.2', names: ['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6'] },
  { source: '127.0.0.3', names: ['worker-1', 'worker-2', 'worker-3', 'worker-4'] },
  { source: '127.0.0.4', names: ['cron', 'cron'] },
  { source: '127.0.0.5', names: ['reports'] },
]

describe('web console: instances, statistics, history, export', () => {
  let stack: ConsoleStack
  let raw: RawSessions
  let page: Page

  before(async () => {
    stack = await startConsoleStack()
    raw = await openRawSessions(
      stack.redis.port,
      SOURCES.flatMap(({ source, names }) => names.map((name, i) => ({ source, name, db: i % 2 })))
    )
    page = await stack.newPage()
    await signIn(page, stack.url, ADMIN.userName, ADMIN.password)
  })

  after(async () => {
    raw?.close()
    await stack?.stop()
  })

  it('adds an instance through a validated form', async () => {
    await page.getByTestId('add-instance').click()
    const form = page.getByTestId('instance-form')
    await form.locator('input[name="InstanceId"]').fill('Bad Id')
    await form.locator('textarea[name="Endpoints"]').fill('::1:6379')
    await form.getByRole('button', { name: 'Add instance' }).click()
    assert.match((await form.textContent()) ?? '', /a lower-case letter/)
    assert.match((await form.textContent()) ?? '', /IPv6 addresses in brackets/)
    await form.locator('input[name="InstanceId"]').fill(INSTANCE)
    await form.locator('textarea[name="Endpoints"]').fill(`127.0.0.1:${stack.redis.port}`)
    await form.locator('input[name="Description"]').fill('orders service cache')
    await form.locator('input[name="Password"]').fill('')
    await form.getByRole('button', { name: 'Add instance' }).click()
    await form.waitFor({ state: 'detached' })
    const row = page.locator(`tr[data-instance="${INSTANCE}"]`)
    await eventually(
      'the new instance and its status',
      async () =>
        /standalone.*orders service cache/s.test((await row.textContent()) ?? '') &&
        /ok/.test((await row.locator('.badge').textContent()) ?? '')
    )
  })

  it('edits an instance; the password stays write-only', async () => {
    const row = page.locator(`tr[data-instance="${INSTANCE}"]`)
    await row.getByRole('button', { name: 'Edit' }).click()
    const form = page.getByTestId('instance-form')
    assert.equal(await form.locator('input[name="Password"]').inputValue(), '')
    assert.match((await form.textContent()) ?? '', /none — type one to set it/)
    await form.locator('input[name="Description"]').fill('orders cache (EU)')
    await form.getByRole('button', { name: 'Save' }).click()
    await form.waitFor({ state: 'detached' })
    await eventually('the new description', async () =>
      /orders cache \(EU\)/.test((await row.textContent()) ?? '')
    )
    const body = await stack.adminCall('DescribeRedisInstances', { InstanceId: INSTANCE })
    assert.doesNotMatch(JSON.stringify(body), /"Password"/)
  })

  it('groups by source and filters the table from a click on a group', async () => {
    await page.getByRole('link', { name: INSTANCE }).click()
    await page.getByTestId('sessions-grid').waitFor()
    await page.getByRole('link', { name: 'Statistics' }).click()
    const table = page.getByTestId('stats-table')
    await table.locator('tr[data-group="127.0.0.2"]').waitFor()
    assert.match(
      (await table.locator('tr[data-group="127.0.0.2"]').textContent()) ?? '',
      /127\.0\.0\.2.*6/
    )
    await page.getByTestId('edit-alias-127.0.0.3').click()
    await page.getByLabel('Alias of 127.0.0.3').fill('billing workers')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('[data-alias="127.0.0.3"]', { hasText: 'billing workers' }).waitFor()
    await screenshot(page, 'statistics')
    await page.getByRole('link', { name: 'Sessions', exact: true }).click()
    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click()
    await page
      .locator('.grid-body [data-col="ClientDesc"]', { hasText: 'billing workers' })
      .first()
      .waitFor()
    await screenshot(page, 'sessions')
    await page.getByRole('link', { name: 'Statistics' }).click()
    await page
      .getByRole('group', { name: 'Group sessions by' })
      .getByRole('button', { name: 'Name' })
      .click()
    await table.locator('tr[data-group="cron"]').getByRole('button').click()
    await page.getByTestId('sessions-grid').waitFor()
    await eventually(
      'the cron sessions',
      async () => (await columnValues(page, 'Name')).join() === 'cron,cron'
    )
    assert.equal(await page.locator('[data-filter="name"]').inputValue(), 'cron')
    await page.getByRole('link', { name: 'Statistics' }).click()
    await page.locator('.bar-chart button', { hasText: '127.0.0.3' }).click()
    await eventually(
      'the billing workers',
      async () =>
        (await columnValues(page, 'ClientDesc')).join() === Array(4).fill('billing workers').join()
    )
    assert.equal(await page.locator('[data-filter="clientIp"]').inputValue(), '127.0.0.3')
  })

  it('exports the current view as CSV and JSON', async () => {
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    assert.match(csv.suggestedFilename(), new RegExp(`^sessions-${INSTANCE}-\\d{8}-\\d{6}\\.csv$`))
    const lines = (await readFile(await csv.path(), 'utf8')).trim().split('\r\n')
    assert.match(lines[0] ?? '', /^NodeId,Id,Addr,ClientDesc,Name,/)
    assert.equal(lines.length, 5, 'header + the 4 sessions shown')
    assert.ok(lines.slice(1).every((line) => line.includes('billing workers')))
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ])
    const sessions = JSON.parse(await readFile(await json.path(), 'utf8')) as {
      Name: string
      Age: string
    }[]
    assert.deepEqual(sessions.map((s) => s.Name).sort(), [
      'worker-1',
      'worker-2',
      'worker-3',
      'worker-4',
    ])
    assert.equal(typeof sessions[0]?.Age, 'string', 'DAS types kept')
    await page.getByRole('button', { name: 'Clear' }).click()
  })

  it('draws the session history from the sampler', async () => {
    await page.getByRole('link', { name: 'History' }).click()
    await eventually('samples', async () => {
      if ((await page.getByTestId('history-chart').count()) > 0) return true
      await page.getByRole('button', { name: 'Refresh' }).click()
      return false
    })
    await page.locator('[data-testid="history-chart"] canvas').waitFor()
    await page.getByRole('combobox').selectOption('source')
    await page.locator('.u-legend', { hasText: '127.0.0.2' }).waitFor()
    // An hour of earlier samples (a slow leak from one source) so the picture shows a trend.
    await stack.server.store.history.insertPoints(syntheticHour(INSTANCE, Date.now() - 30_000))
    await page.getByRole('button', { name: 'Refresh' }).click()
    await page.locator('.u-legend', { hasText: '127.0.0.9' }).waitFor()
    await screenshot(page, 'history')
  })

  it('shows a banner and per-node status when a node does not answer', async () => {
    const dead = await closedPort()
    await stack.adminCall('AddRedisInstance', {
      InstanceId: 'r-partial',
      Topology: 'nodes',
      Endpoints: `127.0.0.1:${stack.redis.port},127.0.0.1:${dead}`,
      SkipCheck: 'true',
    })
    await page.goto(`${stack.url}/#/instances/r-partial`)
    const banner = page.getByTestId('incomplete-banner')
    await banner.waitFor()
    assert.match(
      (await banner.textContent()) ?? '',
      new RegExp(`1 of 2 nodes did not answer.*r-partial-proxy-1#${dead}`, 's')
    )
    assert.equal(await page.locator('.node.bad').count(), 1)
    assert.match(await rowCountText(page), /^\d+ sessions/)
    await screenshot(page, 'partial')
  })

  it('follows a dark colour scheme', async () => {
    const dark = await stack.newPage({ colorScheme: 'dark' })
    await signIn(dark, stack.url, ADMIN.userName, ADMIN.password)
    await dark.goto(`${stack.url}/#/instances/${INSTANCE}`)
    await dark.getByTestId('sessions-grid').waitFor()
    const background = await dark.evaluate('getComputedStyle(document.body).backgroundColor')
    assert.equal(background, 'rgb(21, 23, 26)')
    await screenshot(dark, 'sessions-dark')
    await dark.context().close()
  })

  it('auto-refreshes every 5 s keeping the selection and the scroll position', async () => {
    const bulk = await openRawSessions(
      stack.redis.port,
      Array.from({ length: 60 }, (_, i) => ({ source: '127.0.0.6', name: `bulk-${i}` }))
    )
    try {
      await page.goto(`${stack.url}/#/instances/${INSTANCE}`)
      // The server may answer from its 1 s result cache: ask until the new sessions show.
      await eventually('the bulk sessions', async () => {
        if (/^7\d sessions/.test(await rowCountText(page))) return true
        await page.getByRole('button', { name: /Refresh/ }).click()
        return false
      })
      const scrollTop = (set = '') => page.evaluate(`${GRID}.scrollTop${set}`)
      await scrollTop(' = 700')
      const firstRendered = page.locator('.grid-body [role="row"]').first()
      await eventually(
        'the rows at the new position',
        async () => Number(await firstRendered.getAttribute('aria-rowindex')) > 10
      )
      // Some row in view after the scroll (rendered rows include 10 above it).
      const name = await page
        .locator('.grid-body [role="row"] [data-col="Name"]')
        .nth(15)
        .textContent()
      const row = page.locator('.grid-body [role="row"]', { hasText: name ?? '' })
      await row.click()
      const listedAt = async () => (await page.getByTestId('summary').textContent()) ?? ''
      const before = await listedAt()
      await page.getByTestId('auto-refresh').selectOption('5')
      await eventually('an automatic refresh', async () => (await listedAt()) !== before)
      assert.equal(await scrollTop(), 700)
      assert.equal(await row.getAttribute('aria-selected'), 'true')
      assert.match(await rowCountText(page), /1 selected/)
      await page.getByTestId('auto-refresh').selectOption('0')
    } finally {
      bulk.close()
    }
  })

  it('removes an instance after confirmation', async () => {
    await page.goto(`${stack.url}/#/`)
    const row = page.locator('tr[data-instance="r-partial"]')
    await row.getByRole('button', { name: 'Remove' }).click()
    await page.getByRole('button', { name: 'Remove r-partial' }).click()
    await row.waitFor({ state: 'detached' })
    const body = await stack.adminCall('DescribeRedisInstances')
    assert.doesNotMatch(JSON.stringify(body), /r-partial/)
    assert.deepEqual(stack.problems, [])
  })
})

/** One sample a minute for the hour before `end`: steady sources and one that leaks. */
function syntheticHour(instanceId: string, end: number): HistoryPoint[] {
  const points: HistoryPoint[] = []
  for (let minute = 60; minute >= 1; minute--) {
    const time = end - minute * 60_000
    const counts: [string, number][] = [
      ['127.0.0.2', 6 + (minute % 3)],
      ['127.0.0.3', 4],
      ['127.0.0.9', Math.round((60 - minute) / 4)],
    ]
    const total = counts.reduce((sum, [, count]) => sum + count, 0)
    points.push({ instanceId, time, groupBy: 'total', key: '', count: total, active: minute % 4 })
    for (const [key, count] of counts) {
      points.push({ instanceId, time, groupBy: 'source', key, count, active: 0 })
    }
  }
  return points
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (typeof address !== 'object' || address === null) throw new Error('no port')
  return address.port
}
