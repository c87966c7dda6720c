// The console end to end, as an operator uses it: sign in, open an instance, find sessions by
// name, sort, filter, search, choose columns, move with the keyboard, name a source, dry-run
// then kill a filtered set, kill a selection, kill all — never a replication link. Real server,
// real SQLite, real redis-server (with a replica), Debian Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { openMixedSessions, type MixedSessions } from '../support/client-sessions.ts'
import { parseInfo } from '../support/redis-cli.ts'
import { waitForReplicationUp } from '../support/redis-replication.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import {
  columnValues,
  eventually,
  rowCountText,
  screenshot,
  signIn,
} from './support/console-page.ts'
import { ADMIN, startConsoleStack, type ConsoleStack } from './support/console-stack.ts'

const INSTANCE = 'r-console-test'
const SELECTED_NAMES = '.grid-body [aria-selected="true"] [data-col="Name"]'

/** Clicks the header of `label` until the grid is sorted that way. */
async function sortBy(page: Page, label: string, order: 'ascending' | 'descending') {
  const header = page.getByRole('columnheader', { name: label, exact: true })
  for (let clicks = 0; (await header.getAttribute('aria-sort')) !== order; clicks++) {
    assert.ok(clicks < 3, `sorting by ${label} ${order}`)
    await header.getByRole('button').click()
  }
}

/** The rendered row whose Name is exactly `name`. */
function rowNamed(page: Page, name: string): Locator {
  return page
    .locator('.grid-body [role="row"]')
    .filter({ has: page.locator('[data-col="Name"]', { hasText: new RegExp(`^${name}$`) }) })
}

/** Names of the selected rows shown, sorted. */
async function selectedNames(page: Page): Promise<string[]> {
  return (await page.locator(SELECTED_NAMES).allTextContents()).sort()
}

describe('web console: sessions of an instance', () => {
  let stack: ConsoleStack
  let mixed: MixedSessions
  let doomed: MixedSessions
  let replica: RedisServerHandle
  let page: Page

  before(async () => {
    stack = await startConsoleStack()
    // A replica of the test's Redis: its link shows on the master with flag S, never killable.
    replica = await startRedisServer({ replicaOf: stack.redis })
    await waitForReplicationUp(stack.redis, [replica])
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
    await replica?.stop()
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
    // The sampler (1 s here) records the status; until it has, ↻ collects it on demand.
    await eventually('the status badge', async () => {
      if (/^ok · /.test((await row.locator('.badge').textContent()) ?? '')) return true
      await row.getByTestId(`collect-${INSTANCE}`).click()
      return false
    })
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

  it('chooses and reorders columns, remembered after a reload', async () => {
    const headers = () => page.locator('.grid-head [role="columnheader"][data-col]')
    const keys = async () =>
      Promise.all(
        (await headers().all()).map(async (h) => (await h.getAttribute('data-col')) ?? '')
      )
    const before = await keys()
    assert.deepEqual(before.slice(0, 3), ['NodeId', 'Id', 'Addr'])
    assert.ok(!before.includes('Resp'))
    await page.getByRole('button', { name: 'Columns…' }).click()
    const picker = page.getByTestId('column-picker')
    await picker.getByRole('checkbox', { name: /^Address/ }).uncheck()
    await picker.getByRole('checkbox', { name: /^RESP/ }).check()
    await picker.getByRole('button', { name: 'Move Name up' }).click()
    await picker.getByRole('button', { name: 'Move Name up' }).click()
    await picker.getByRole('button', { name: 'Done' }).click()
    const chosen = await keys()
    assert.deepEqual(chosen.slice(0, 3), ['NodeId', 'Id', 'Name'])
    assert.ok(!chosen.includes('Addr'), 'Address hidden')
    assert.ok(chosen.includes('Resp'), 'RESP shown')
    assert.ok((await columnValues(page, 'Resp')).every((text) => /^[23]$/.test(text)))
    await page.reload()
    await page.getByTestId('sessions-grid').waitFor()
    assert.deepEqual(await keys(), chosen, 'the choice survives a reload')
    await page.getByRole('button', { name: 'Columns…' }).click()
    await picker.getByRole('button', { name: 'Defaults' }).click()
    await picker.getByRole('button', { name: 'Done' }).click()
    assert.deepEqual(await keys(), before)
  })

  it('moves through the grid and selects with the keyboard', async () => {
    await page.locator('[data-filter="name"]').fill('e2e-?')
    await eventually('six e2e rows', async () => /^6 of/.test(await rowCountText(page)))
    await sortBy(page, 'Name', 'ascending')
    const grid = page.getByTestId('sessions-grid')
    const activeName = async () =>
      (await page.locator('#sessions-active-row [data-col="Name"]').textContent()) ?? ''
    await grid.focus()
    assert.equal(await grid.getAttribute('aria-activedescendant'), 'sessions-active-row')
    await page.keyboard.press('Home')
    assert.equal(await activeName(), 'e2e-0')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    assert.equal(await activeName(), 'e2e-2')
    await page.keyboard.press('Space')
    assert.deepEqual(await selectedNames(page), ['e2e-2'])
    await page.keyboard.press('Shift+ArrowDown')
    await page.keyboard.press('Shift+ArrowDown')
    assert.equal(await activeName(), 'e2e-4')
    assert.deepEqual(await selectedNames(page), ['e2e-2', 'e2e-3', 'e2e-4'])
    await page.keyboard.press('ArrowUp')
    assert.equal(await activeName(), 'e2e-3')
    await page.keyboard.press('End')
    assert.equal(await activeName(), 'e2e-5')
    await page.keyboard.press('PageUp')
    assert.equal(await activeName(), 'e2e-0')
    await page.keyboard.press('Escape')
    assert.deepEqual(await selectedNames(page), [])
    await page.keyboard.press('Control+a')
    assert.equal((await selectedNames(page)).length, 6)
    assert.match(await rowCountText(page), /6 selected/)
    await page.keyboard.press('Escape')
    assert.deepEqual(await selectedNames(page), [])
    // The keyboard's row follows its session through a re-sort.
    await page.keyboard.press('ArrowDown')
    assert.equal(await activeName(), 'e2e-1')
    await sortBy(page, 'Name', 'descending')
    assert.equal(await activeName(), 'e2e-1')
    await page.locator('[data-filter="name"]').fill('')
  })

  it('refuses to select protected rows (the replica link)', async () => {
    await page.locator('[data-filter="flags"]').fill('S')
    await eventually('the replica link', async () => /^1 of/.test(await rowCountText(page)))
    const row = page.locator('.grid-body [role="row"]').first()
    assert.match((await row.getAttribute('class')) ?? '', /\bprotected\b/)
    assert.equal(
      await row.locator('.check').getAttribute('title'),
      'Protected: a replica link (flag S): never killed'
    )
    await row.click()
    await row.click({ modifiers: ['Shift'] })
    await page.getByTestId('sessions-grid').focus()
    await page.keyboard.press('Space')
    await page.keyboard.press('Control+a')
    await page.getByRole('checkbox', { name: 'Select every selectable session shown' }).click()
    assert.equal(await page.locator('.grid-body [aria-selected="true"]').count(), 0)
    assert.doesNotMatch(await rowCountText(page), /selected/)
    const killSelected = page.getByTestId('kill-selected')
    assert.equal(await killSelected.getAttribute('aria-disabled'), 'true')
    assert.match((await killSelected.getAttribute('title')) ?? '', /^Select sessions first/)
    await page.locator('[data-filter="flags"]').fill('')
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
    // Insights leave replication links out; the grid's Name (none) filter shows them too.
    const rows = page.locator('.grid-body [role="row"]')
    await eventually(
      'the unnamed sessions',
      async () =>
        (await rows.locator(':scope:not(.protected)').count()) === 2 &&
        (await rows.count()) === Number(/^(\d+) of/.exec(await rowCountText(page))?.[1])
    )
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

  it('anchors Shift+click ranges on the session, not its row position, through a re-sort', async () => {
    await page.locator('[data-filter="name"]').fill('e2e-?')
    await eventually('six e2e rows', async () => /^6 of/.test(await rowCountText(page)))
    await sortBy(page, 'Name', 'ascending')
    await rowNamed(page, 'e2e-1').click()
    await sortBy(page, 'Name', 'descending')
    // e2e-1 moved from the 2nd row to the 5th: the range runs from it, not from the 2nd row.
    await rowNamed(page, 'e2e-3').click({ modifiers: ['Shift'] })
    assert.deepEqual(await selectedNames(page), ['e2e-1', 'e2e-2', 'e2e-3'])
    assert.equal(await page.getByTestId('kill-selected').textContent(), 'Kill selected (3)')
  })

  it('kills only the selected rows shown: label, dialog and request agree', async () => {
    await page.locator('[data-filter="keyword"]').fill('e2e-2')
    await eventually('one row shown', async () => /^1 of/.test(await rowCountText(page)))
    assert.equal(await page.getByTestId('kill-selected').textContent(), 'Kill selected (1)')
    assert.match(await rowCountText(page), /1 selected \(2 more selected, hidden by the filter\)/)
    await page.getByTestId('kill-selected').click()
    const dialog = page.getByTestId('kill-dialog')
    const listed = dialog.locator('[data-testid="kill-preview"] tbody td:nth-child(4)')
    assert.deepEqual(await listed.allTextContents(), ['e2e-2'])
    await dialog.getByRole('button', { name: 'Kill 1 session', exact: true }).click()
    await dialog.getByTestId('kill-done').waitFor()
    assert.deepEqual(
      await dialog.locator('[data-testid="kill-results"] tbody td:nth-child(4)').allTextContents(),
      ['e2e-2']
    )
    await dialog.getByRole('button', { name: 'Close' }).click()
    let list = await stack.redis.cli('CLIENT', 'LIST')
    assert.doesNotMatch(list, / name=e2e-2 /)
    for (const name of ['e2e-1', 'e2e-3']) assert.match(list, new RegExp(` name=${name} `))
    // The hidden ones stayed selected; shown again, they are what Kill selected counts.
    await page.locator('[data-filter="keyword"]').fill('')
    await eventually(
      'two selected rows left',
      async () => (await page.getByTestId('kill-selected').textContent()) === 'Kill selected (2)'
    )
    await page.getByTestId('kill-selected').click()
    assert.deepEqual((await listed.allTextContents()).sort(), ['e2e-1', 'e2e-3'])
    await dialog.getByRole('button', { name: 'Kill 2 sessions' }).click()
    await dialog.getByTestId('kill-done').waitFor()
    await dialog.getByRole('button', { name: 'Close' }).click()
    await eventually('three e2e rows left', async () => /^3 of/.test(await rowCountText(page)))
    list = await stack.redis.cli('CLIENT', 'LIST')
    for (const name of ['e2e-1', 'e2e-3']) assert.doesNotMatch(list, new RegExp(` name=${name} `))
    assert.match(list, / name=e2e-0 /)
  })

  it('kills all after a dry run listing every session, with results per session; replication survives', async () => {
    await page.locator('[data-filter="name"]').fill('')
    await page.getByTestId('kill-all').click()
    const dialog = page.getByTestId('kill-dialog')
    await dialog.getByTestId('kill-preview').waitFor()
    const count = (await dialog.getByTestId('kill-count').textContent()) ?? ''
    const listed = Number(/^All (\d+) sessions of r-console-test/.exec(count)?.[1])
    const names = await dialog
      .locator('[data-testid="kill-preview"] tbody td:nth-child(4)')
      .allTextContents()
    assert.equal(names.length, listed)
    for (const name of ['e2e-0', 'e2e-4', 'e2e-5']) assert.ok(names.includes(name), name)
    assert.match((await dialog.locator('details').textContent()) ?? '', /protected/)
    const confirm = dialog.getByTestId('confirm-kill')
    assert.equal(await confirm.isDisabled(), true, 'typing the instance id comes first')
    await dialog.getByTestId('confirm-instance').fill(INSTANCE)
    assert.equal(await confirm.textContent(), `Kill all ${listed} sessions`)
    await confirm.click()
    await dialog.getByTestId('kill-done').waitFor()
    const results = await dialog
      .locator('[data-testid="kill-results"] tbody td:nth-child(5)')
      .allTextContents()
    assert.equal(results.length, listed, 'one result per session')
    assert.ok(
      results.every((result) => /^(killed|gone)/.test(result)),
      results.join()
    )
    await dialog.getByRole('button', { name: 'Close' }).click()
    const list = await stack.redis.cli('CLIENT', 'LIST')
    assert.doesNotMatch(list, / name=e2e-/)
    assert.match(list, / flags=S /, 'the replica link is still there')
    const info = parseInfo(await replica.cli('INFO', 'replication'))
    assert.equal(info.get('master_link_status'), 'up')
    assert.deepEqual(stack.problems, [])
  })
})
