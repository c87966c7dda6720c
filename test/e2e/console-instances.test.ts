// The console's instance registry, statistics by source, history, export and partial listings,
// end to end against a real server, redis-server and Chromium.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
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
    await eventually('the new instance', async () =>
      /standalone.*orders service cache/s.test((await row.textContent()) ?? '')
    )
    // Listed with the status the server last recorded (none yet, or the sampler's); ↻ collects
    // it now and shows what the server recorded.
    const badge = row.locator('.badge')
    assert.match((await badge.textContent()) ?? '', /^(not collected yet|ok · )/)
    await row.getByTestId(`collect-${INSTANCE}`).click()
    await eventually('the collected status', async () =>
      /^ok · \d\d:\d\d:\d\d$/.test((await badge.textContent()) ?? '')
    )
    assert.match((await row.locator('td.num').nth(0).textContent()) ?? '', /^1\/1$/)
    assert.match((await row.locator('td.num').nth(1).textContent()) ?? '', /^1\d$/)
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

  it('draws the history of real samples (1 s sampler) as sessions come and go', async () => {
    // A burst of sessions from one more source: opened two by two, held, closed two by two,
    // each step seen by at least one sample.
    const burstCount = (point: HistoryWirePoint | undefined) =>
      point?.Groups.find((group) => group.Key === '127.0.0.8')?.Count ?? 0
    const steps: RawSessions[] = []
    try {
      for (let step = 1; step <= 4; step++) {
        const names = [`burst-${step}a`, `burst-${step}b`]
        steps.push(
          await openRawSessions(
            stack.redis.port,
            names.map((name) => ({ source: '127.0.0.8', name }))
          )
        )
        await sampled(stack, `a sample with ${2 * step} burst sessions`, (points) =>
          points.slice(-1).every((point) => burstCount(point) === 2 * step)
        )
      }
      await sampled(stack, 'the burst held', (points) =>
        points.slice(-3).every((point) => burstCount(point) === 8)
      )
      for (let open = steps.pop(); open !== undefined; open = steps.pop()) {
        open.close()
        const left = 2 * steps.length
        await sampled(stack, `a sample with ${left} burst sessions`, (points) =>
          points.slice(-1).every((point) => burstCount(point) === left)
        )
      }
    } finally {
      for (const open of steps) open.close()
    }
    await sampled(stack, 'samples after it', (points) =>
      points.slice(-3).every((point) => burstCount(point) === 0)
    )
    await page.getByRole('link', { name: 'History' }).click()
    await page.getByRole('button', { name: '15 min' }).click()
    await page.getByRole('combobox').selectOption('source')
    await page.locator('[data-testid="history-chart"] canvas').waitFor()
    await page.locator('.u-legend', { hasText: '127.0.0.8' }).waitFor()
    // Samples began with this test's stack, long after the range's start: the axis starts at
    // the first one, and the page says so.
    assert.match(
      (await page.getByTestId('history-trimmed').textContent()) ?? '',
      /^No samples in this range before \d\d:\d\d:\d\d/
    )
    await screenshot(page, 'history')
  })

  it('asks the history of the range of each time-range button', async () => {
    // 15 min is chosen already (the test before): it comes last.
    const ranges = [
      ['1 hour', 3_600_000],
      ['6 hours', 6 * 3_600_000],
      ['24 hours', 24 * 3_600_000],
      ['7 days', 7 * 24 * 3_600_000],
      ['15 min', 15 * 60_000],
    ] as const
    for (const [label, ms] of ranges) {
      const button = page.getByRole('group', { name: 'Time range' }).getByRole('button', {
        name: label,
        exact: true,
      })
      const [request] = await Promise.all([
        page.waitForRequest(
          (candidate) => candidate.headers()['x-acs-action'] === 'DescribeRedisSessionHistory'
        ),
        button.click(),
      ])
      const params = new URLSearchParams(request.postData() ?? '')
      assert.equal(Number(params.get('EndTime')) - Number(params.get('StartTime')), ms, label)
      assert.equal(params.get('GroupBy'), 'source')
      assert.equal(await button.getAttribute('aria-pressed'), 'true')
    }
    const pressed = page.locator('[aria-label="Time range"] [aria-pressed="true"]')
    assert.deepEqual(await pressed.allTextContents(), ['15 min'])
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

  it('keeps selection and scroll across tabs and auto-refreshes every 5 s keeping them', async () => {
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
      // To the other tabs and back: the same rows in view, the same selection.
      for (const tab of ['Statistics', 'History']) {
        await page.getByRole('link', { name: tab }).click()
        await page.getByRole('link', { name: 'Sessions', exact: true }).click()
        await page.getByTestId('sessions-grid').waitFor()
        assert.equal(await scrollTop(), 700, `scroll position after ${tab}`)
        assert.equal(await row.getAttribute('aria-selected'), 'true', `selection after ${tab}`)
      }
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

  it('auto-refreshes at the interval chosen: 30 s on a fake clock', async () => {
    const timed = await stack.newPage()
    try {
      await timed.clock.install()
      await signIn(timed, stack.url, ADMIN.userName, ADMIN.password)
      await timed.goto(`${stack.url}/#/instances/${INSTANCE}`)
      await timed.getByTestId('sessions-grid').waitFor()
      await timed.getByTestId('summary').waitFor()
      let listings = 0
      timed.on('request', (request) => {
        if (request.headers()['x-acs-action'] === 'GetRedisAllSession') listings += 1
      })
      // From here the page's time moves only when the test moves it.
      await timed.clock.pauseAt(Number(await timed.evaluate('Date.now()')) + 1000)
      await timed.getByTestId('auto-refresh').selectOption('30')
      assert.equal(await timed.getByTestId('auto-refresh').inputValue(), '30')
      await timed.clock.runFor(29_000)
      await timed.waitForTimeout(300)
      assert.equal(listings, 0, 'nothing before 30 s')
      // Each round is awaited until its answer is shown: a refresh still running skips a tick.
      const refresh = timed.getByRole('button', { name: /^Refresh/ })
      const listed = (count: number) => async () =>
        listings === count && (await refresh.textContent()) === 'Refresh'
      await timed.clock.runFor(2_000)
      await eventually('a listing at 30 s', listed(1))
      await timed.clock.runFor(30_000)
      await eventually('another at 60 s', listed(2))
      await timed.getByTestId('auto-refresh').selectOption('0')
      await timed.clock.runFor(60_000)
      await timed.waitForTimeout(300)
      assert.equal(listings, 2, 'off: no more listings')
    } finally {
      await timed.context().close()
    }
  })

  it('removes an instance after confirmation', async () => {
    await page.goto(`${stack.url}/#/`)
    const row = page.locator('tr[data-instance="r-partial"]')
    await row.getByTestId('collect-r-partial').click()
    await eventually('the partial status', async () =>
      /^partial · /.test((await row.locator('.badge').textContent()) ?? '')
    )
    assert.equal(await row.locator('td.num').first().textContent(), '1/2')
    assert.match(
      (await row.locator('.badge').getAttribute('title')) ?? '',
      /^1 of 2 nodes did not answer/
    )
    await row.getByRole('button', { name: 'Remove' }).click()
    await page.getByRole('button', { name: 'Remove r-partial' }).click()
    await row.waitFor({ state: 'detached' })
    const body = await stack.adminCall('DescribeRedisInstances')
    assert.doesNotMatch(JSON.stringify(body), /r-partial/)
    assert.deepEqual(stack.problems, [])
  })
})

/** One sample of DescribeRedisSessionHistory as the wire carries it. */
interface HistoryWirePoint {
  Timestamp: number
  Groups: { Key: string; Count: number }[]
}

/** Waits until the last minute of samples by source satisfies `check` (the sampler runs every 1 s). */
async function sampled(
  stack: ConsoleStack,
  what: string,
  check: (points: HistoryWirePoint[]) => boolean
): Promise<void> {
  await eventually(what, async () => {
    const body = await stack.adminCall('DescribeRedisSessionHistory', {
      InstanceId: INSTANCE,
      GroupBy: 'source',
      StartTime: String(Date.now() - 60_000),
    })
    const data = body['Data'] as { Points: HistoryWirePoint[] }
    return data.Points.length >= 3 && check(data.Points)
  })
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
