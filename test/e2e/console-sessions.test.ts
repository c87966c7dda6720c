// The console end to end, as an operator uses it: sign in, open an instance, find sessions by
// name, sort, filter, search, name a source, dry-run then kill a filtered set. Real server, real
// SQLite, real redis-server, Debian Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { openMixedSessions, type MixedSessions } from '../support/client-sessions.ts'
import {
  columnValues,
  eventually,
  rowCountText,
  screenshot,
  signIn,
} from './support/console-page.ts'
import { ADMIN, startConsoleStack, type ConsoleStack } from './support/console-stack.ts'

const INSTANCE = 'r-console-test'

describe('web console: sessions of an instance', () => {
  let stack: ConsoleStack
  let mixed: MixedSessions
  let doomed: MixedSessions
  let page: Page

  before(async () => {
    stack = await startConsoleStack()
    mixed = await openMixedSessions(stack.redis, { count: 6, namePrefix: 'e2e' })
    doomed = await openMixedSessions(stack.redis, { count: 3, namePrefix: 'doomed' })
    await stack.adminCall('AddRedisInstance', {
      InstanceId: INSTANCE,
      Endpoints: `127.0.0.1:${stack.redis.port}`,
      Description: 'console end-to-end test',
    })
    page = await stack.newPage()
  })

  after(async () => {
    await doomed?.close()
    await mixed?.close()
    await stack?.stop()
  })

  it('serves the console at / to browsers while / stays the RPC endpoint', async () => {
    const html = await fetch(`${stack.url}/`, { headers: { accept: 'text/html' } })
    assert.equal(html.status, 200)
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/)
    assert.match(html.headers.get('content-security-policy') ?? '', /default-src 'self'/)
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await html.text())?.[1]
    assert.ok(asset !== undefined, 'index.html references a hashed bundle')
    const js = await fetch(`${stack.url}${asset}`)
    assert.equal(js.status, 200)
    assert.match(js.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/)
    const rpc = await fetch(`${stack.url}/?Action=GetRedisAllSession`, {
      headers: { accept: 'text/html' },
    })
    assert.match(rpc.headers.get('content-type') ?? '', /json/, 'a query string means RPC')
    const missing = await fetch(`${stack.url}/assets/nope-123.js`)
    assert.equal(missing.status, 404)
  })

  it('signs in and lists the instance with its live status', async () => {
    await signIn(page, stack.url, ADMIN.userName, ADMIN.password)
    const row = page.locator(`tr[data-instance="${INSTANCE}"]`)
    await row.waitFor()
    await eventually('the status badge', async () =>
      /ok/.test((await row.locator('.badge').textContent()) ?? '')
    )
    assert.match((await row.textContent()) ?? '', /standalone/)
    await screenshot(page, 'instances')
  })

  it('opens the instance and shows the sessions the test opened, by name', async () => {
    await page.getByRole('link', { name: INSTANCE }).click()
    await page.getByTestId('sessions-grid').waitFor()
    // The grid renders only the rows in view: look for each set through the search box.
    for (const set of [mixed, doomed]) {
      const prefix = set === mixed ? 'e2e-' : 'doomed-'
      await page.locator('[data-filter="keyword"]').fill(prefix)
      const wanted = set.expected
        .map((e) => e.name)
        .filter((name) => name !== '')
        .sort()
      await eventually(
        `rows named ${prefix}*`,
        async () => (await columnValues(page, 'Name')).sort().join() === wanted.join()
      )
    }
    await page.locator('[data-filter="keyword"]').fill('')
  })

  it('sorts by a column, both ways', async () => {
    const header = page.getByRole('columnheader', { name: 'Name' })
    await header.getByRole('button').click()
    assert.equal(await header.getAttribute('aria-sort'), 'ascending')
    const ascending = await columnValues(page, 'Name')
    assert.deepEqual(ascending, [...ascending].sort())
    await header.getByRole('button').click()
    assert.equal(await header.getAttribute('aria-sort'), 'descending')
    const descending = await columnValues(page, 'Name')
    assert.deepEqual(descending, [...ascending].reverse())
    assert.equal(descending[0], 'e2e-subscribe')
  })

  it('filters by db, flags and name glob, and searches by keyword', async () => {
    const filter = (key: string) => page.locator(`[data-filter="${key}"]`)
    await filter('db').fill('3')
    await eventually(
      'db 3 only',
      async () => (await columnValues(page, 'Name')).sort().join() === 'doomed-db3,e2e-db3'
    )
    await filter('db').fill('')
    await filter('flags').fill('P')
    await filter('name').fill('e2e-*')
    await eventually('pub/sub e2e sessions', async () => {
      const names = (await columnValues(page, 'Name')).sort()
      return names.join() === 'e2e-psubscribe,e2e-subscribe'
    })
    assert.match(await rowCountText(page), /^2 of \d+ sessions/)
    await page.getByRole('button', { name: 'Clear' }).click()
    await filter('keyword').fill('BLPOP')
    await eventually('keyword search', async () => {
      const names = (await columnValues(page, 'Name')).sort()
      return names.join() === 'doomed-blpop,e2e-blpop'
    })
    await filter('keyword').fill('')
    await filter('clientIp').fill('10.0.0.0/8')
    await eventually('no session from 10/8', async () => /^0 of/.test(await rowCountText(page)))
    await filter('clientIp').fill('127.0.0.1/32')
    await eventually('all from 127.0.0.1', async () => !/ of /.test(await rowCountText(page)))
    await filter('clientIp').fill('')
  })

  it('edits the alias of a source in place and ClientDesc changes', async () => {
    await page.getByRole('link', { name: 'Statistics' }).click()
    await page.getByTestId('edit-alias-127.0.0.1').click()
    await page.getByLabel('Alias of 127.0.0.1').fill('e2e web tier')
    await page.getByRole('button', { name: 'Save' }).click()
    await eventually(
      'the alias in the statistics',
      async () => (await page.locator('[data-alias="127.0.0.1"]').textContent()) === 'e2e web tier'
    )
    await eventually('ClientDesc from the API', async () => {
      const body = await stack.adminCall('GetRedisAllSession', { InstanceId: INSTANCE })
      const data = body['Data'] as { Sessions: { Client: string; ClientDesc: string }[] }
      const local = data.Sessions.filter((s) => s.Client === '127.0.0.1')
      return local.length > 0 && local.every((s) => s.ClientDesc === 'e2e web tier')
    })
    await page.getByRole('link', { name: 'Sessions', exact: true }).click()
    await page.locator('[data-filter="clientIp"]').fill('127.0.0.1')
    await page.getByRole('button', { name: 'Refresh' }).click()
    await eventually('the Alias column', async () => {
      const aliases = await columnValues(page, 'ClientDesc')
      return aliases.length > 0 && aliases.every((alias) => alias === 'e2e web tier')
    })
    await page.locator('[data-filter="clientIp"]').fill('')
  })

  it('lists insights (blocked, unnamed) that open the matching sessions', async () => {
    await page.getByRole('link', { name: 'Statistics' }).click()
    const insights = page.getByTestId('insights')
    await insights.getByRole('button', { name: '2 blocked' }).click()
    await eventually(
      'the blocked sessions',
      async () => (await columnValues(page, 'Name')).sort().join() === 'doomed-blpop,e2e-blpop'
    )
    assert.equal(await page.locator('[data-filter="flags"]').inputValue(), 'b')
    await page.getByRole('link', { name: 'Statistics' }).click()
    await insights.getByRole('button', { name: '2 unnamed' }).click()
    await eventually('the unnamed sessions', async () => /^2 of/.test(await rowCountText(page)))
    assert.equal(await page.locator('[data-filter="name"]').inputValue(), '(none)')
    await page.getByRole('button', { name: 'Clear' }).click()
  })

  it('dry-runs a kill by filter, lists exactly what will die, then kills it', async () => {
    await page.locator('[data-filter="name"]').fill('doomed-*')
    const doomedNames = doomed.expected
      .map((e) => e.name)
      .filter((name) => name !== '')
      .sort()
    await eventually(
      'the doomed rows',
      async () => (await columnValues(page, 'Name')).sort().join() === doomedNames.join()
    )
    await page.getByTestId('kill-filtered').click()
    const dialog = page.getByTestId('kill-dialog')
    await dialog.getByTestId('kill-preview').waitFor()
    const previewNames = await dialog
      .locator('[data-testid="kill-preview"] tbody td:nth-child(4)')
      .allTextContents()
    assert.deepEqual(previewNames.sort(), doomedNames)
    assert.match(
      (await dialog.getByTestId('kill-count').textContent()) ?? '',
      new RegExp(`^${doomedNames.length} sessions`)
    )
    await screenshot(page, 'kill-preview')
    // Nothing died during the dry run.
    const before = await stack.redis.cli('CLIENT', 'LIST')
    for (const name of doomedNames) assert.match(before, new RegExp(` name=${name} `))
    await dialog.getByTestId('confirm-kill').click()
    await dialog.getByTestId('kill-done').waitFor()
    assert.match(
      (await dialog.getByTestId('kill-done').textContent()) ?? '',
      new RegExp(`Killed ${doomedNames.length} sessions`)
    )
    await dialog.getByRole('button', { name: 'Close' }).click()
    await eventually('the killed rows to vanish', async () =>
      /^0 of/.test(await rowCountText(page))
    )
    const list = await stack.redis.cli('CLIENT', 'LIST')
    assert.doesNotMatch(list, / name=doomed-/)
    assert.match(list, / name=e2e-0 /, 'sessions outside the filter survive')
  })

  it('kills selected rows (click, then shift-click a range) after confirming the count', async () => {
    await page.locator('[data-filter="name"]').fill('e2e-?')
    await eventually('six e2e rows', async () => /^6 of/.test(await rowCountText(page)))
    const rows = page.locator('[data-testid="sessions-grid"] .grid-body [role="row"]')
    await rows.nth(1).click()
    await rows.nth(3).click({ modifiers: ['Shift'] })
    assert.equal(await page.locator('.grid-body [aria-selected="true"]').count(), 3)
    const chosen = await page
      .locator('.grid-body [aria-selected="true"] [data-col="Name"]')
      .allTextContents()
    await page.getByTestId('kill-selected').click()
    const dialog = page.getByTestId('kill-dialog')
    await dialog.getByRole('button', { name: 'Kill 3 sessions' }).click()
    await dialog.getByTestId('kill-done').waitFor()
    await dialog.getByRole('button', { name: 'Close' }).click()
    await eventually('three e2e rows left', async () => /^3 of/.test(await rowCountText(page)))
    const list = await stack.redis.cli('CLIENT', 'LIST')
    for (const name of chosen) assert.doesNotMatch(list, new RegExp(` name=${name} `))
  })
})
