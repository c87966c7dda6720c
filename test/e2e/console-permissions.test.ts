// Policies apply to the console exactly as to SDKs: each page asks the server once
// (DescribeCallerPermissions) and a read-only user sees every button it may not use disabled
// with the reason before any click; a real refusal still teaches the page. Sign-in errors and
// sign-out too.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { buildSignedRequest } from '../../src/api/signature/sign.ts'
import { hashPassword } from '../../src/store/password-hash.ts'
import { openMixedSessions, type MixedSessions } from '../support/client-sessions.ts'
import { eventually, screenshot, signIn } from './support/console-page.ts'
import { startConsoleStack, type ConsoleStack } from './support/console-stack.ts'

const INSTANCE = 'r-shared-cache'
const ARN = `acs:hdm:*:*:instance/${INSTANCE}`
const VIEWER = { userName: 'viewer', password: 'viewer-password-123' }
const SWEEPER = { userName: 'sweeper', password: 'sweeper-password-123' }
const READ = { Effect: 'Allow', Action: ['hdm:Get*', 'hdm:Describe*'], Resource: '*' }
const READ_ONLY_POLICY = { Version: '1', Statement: [READ] }
// May kill everything at once, but not name sessions: Kill all falls back to the count-only action.
const SWEEP_POLICY = {
  Version: '1',
  Statement: [READ, { Effect: 'Allow', Action: 'hdm:KillInstanceAllSession', Resource: ARN }],
}

/** Waits until `button` is disabled by a policy, then returns its reason. */
async function deniedReason(button: Locator, what: string): Promise<string> {
  await eventually(
    `${what} disabled by policy`,
    async () => (await button.getAttribute('data-denied')) === 'true'
  )
  assert.equal(await button.getAttribute('aria-disabled'), 'true', what)
  return (await button.getAttribute('title')) ?? ''
}

/** Counts the signed RPC calls of `action` the page makes from now on. */
function countCalls(page: Page, action: string): { count: () => number } {
  let count = 0
  page.on('request', (request) => {
    if (request.headers()['x-acs-action'] === action) count += 1
  })
  return { count: () => count }
}

describe('web console: permissions and sign-out', () => {
  let stack: ConsoleStack
  let mixed: MixedSessions
  let page: Page

  before(async () => {
    stack = await startConsoleStack()
    mixed = await openMixedSessions(stack.redis, { count: 2, namePrefix: 'keep' })
    await stack.adminCall('AddRedisInstance', {
      InstanceId: INSTANCE,
      Endpoints: `127.0.0.1:${stack.redis.port}`,
    })
    const { store } = stack.server
    for (const [user, name, policy] of [
      [VIEWER, 'read-only', READ_ONLY_POLICY],
      [SWEEPER, 'sweep', SWEEP_POLICY],
    ] as const) {
      await store.users.create(user.userName, await hashPassword(user.password))
      await store.policies.create(name, JSON.stringify(policy), 'console test')
      await store.policies.attach(name, user.userName)
    }
    page = await stack.newPage()
  })

  after(async () => {
    await mixed?.close()
    await stack?.stop()
  })

  it('refuses a wrong password with one message', async () => {
    await page.goto(`${stack.url}/`)
    await page.getByLabel('User name').fill(VIEWER.userName)
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').filter({ hasText: 'incorrect' }).waitFor()
    await screenshot(page, 'sign-in')
  })

  it('disables add, edit and remove instance for a read-only user before any click', async () => {
    await signIn(page, stack.url, VIEWER.userName, VIEWER.password)
    const row = page.locator(`tr[data-instance="${INSTANCE}"]`)
    await row.waitFor()
    assert.match(
      await deniedReason(page.getByTestId('add-instance'), 'Add instance'),
      /^Not allowed \(NoPermission\): no attached policy allows hdm:AddRedisInstance on acs:hdm:\*:\*:instance\/\* \(ImplicitDeny\)/
    )
    for (const [name, action] of [
      ['Edit', 'ModifyRedisInstance'],
      ['Remove', 'DeleteRedisInstance'],
    ] as const) {
      const reason = await deniedReason(row.getByRole('button', { name }), name)
      assert.ok(reason.includes(`hdm:${action} on ${ARN}`), reason)
    }
    await page.getByTestId('add-instance').click({ force: true })
    assert.equal(await page.getByTestId('instance-form').count(), 0, 'Add opens nothing')
  })

  it('disables every kill and the alias editor with the reason, asking once, probing nothing', async () => {
    const asked = countCalls(page, 'DescribeCallerPermissions')
    await page.getByRole('link', { name: INSTANCE }).click()
    await page.getByTestId('sessions-grid').waitFor()
    for (const [id, action] of [
      ['kill-selected', 'KillRedisSessions'],
      ['kill-filtered', 'KillRedisSessions'],
      ['kill-all', 'KillInstanceAllSession'],
    ] as const) {
      const button = page.getByTestId(id)
      const reason = await deniedReason(button, id)
      assert.equal(
        reason,
        `Not allowed (NoPermission): no attached policy allows hdm:${action} on ${ARN} (ImplicitDeny).`
      )
      await button.click({ force: true })
      assert.equal(await page.getByTestId('kill-dialog').count(), 0, `${id} opens nothing`)
    }
    assert.match((await page.locator('.read-only').textContent()) ?? '', /Read-only here/)
    await screenshot(page, 'no-kill-permission')
    await page.getByRole('link', { name: 'Statistics' }).click()
    const pencil = page.getByTestId('edit-alias-127.0.0.1')
    assert.match(await deniedReason(pencil, 'alias edit'), /hdm:SetRedisClientAlias on /)
    await pencil.click({ force: true })
    assert.equal(await page.getByLabel('Alias of 127.0.0.1').count(), 0, 'no editor opens')
    assert.equal(asked.count(), 1, 'one DescribeCallerPermissions call for the page')
    // No dry-run kill was sent to learn the permission: the audit log has no kill at all.
    const { events } = await stack.server.store.audit.query({ pageNumber: 1, pageSize: 100 })
    assert.deepEqual(
      events.filter((event) => event.action.startsWith('Kill')),
      [],
      'no kill in the audit log'
    )
  })

  it('lets a user allowed only KillInstanceAllSession kill all with a count; a refusal teaches', async () => {
    const sweeper = await stack.newPage()
    try {
      await signIn(sweeper, stack.url, SWEEPER.userName, SWEEPER.password)
      await sweeper.goto(`${stack.url}/#/instances/${INSTANCE}`)
      await sweeper.getByTestId('sessions-grid').waitFor()
      await deniedReason(sweeper.getByTestId('kill-filtered'), 'Kill by filter')
      const killAll = sweeper.getByTestId('kill-all')
      assert.equal(await killAll.getAttribute('aria-disabled'), null, 'Kill all is usable')
      assert.match((await killAll.getAttribute('title')) ?? '', /count/)
      await killAll.click()
      const dialog = sweeper.getByTestId('kill-dialog')
      await dialog.getByTestId('count-only-note').waitFor()
      // The policy goes away while the page is open: the real call is refused and the page learns.
      await stack.server.store.policies.detach('sweep', SWEEPER.userName)
      await dialog.getByTestId('confirm-instance').fill(INSTANCE)
      await dialog.getByTestId('confirm-kill').click()
      await dialog.getByRole('alert').filter({ hasText: 'NoPermission' }).waitFor()
      await dialog.getByRole('button', { name: 'Close' }).click()
      assert.match(
        await deniedReason(killAll, 'Kill all after the refusal'),
        /hdm:KillInstanceAllSession/
      )
      const list = await stack.redis.cli('CLIENT', 'LIST')
      for (const { name } of mixed.expected)
        if (name !== '') assert.match(list, new RegExp(` name=${name} `))
    } finally {
      await sweeper.context().close()
    }
  })

  it('signs out: the temporary credentials are revoked on the server', async () => {
    const stored = await page.evaluate('sessionStorage.getItem("redis-sessions.console")')
    assert.equal(typeof stored, 'string')
    const { credentials } = JSON.parse(String(stored)) as {
      credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string }
    }
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('status').filter({ hasText: 'signed out' }).waitFor()
    assert.equal(await page.evaluate('sessionStorage.length'), 0)
    const signed = buildSignedRequest({
      endpoint: stack.url,
      scheme: 'V3',
      action: 'DescribeRedisInstances',
      accessKeyId: credentials.AccessKeyId,
      accessKeySecret: credentials.AccessKeySecret,
      securityToken: credentials.SecurityToken,
    })
    const response = await fetch(signed.url, { method: signed.method, headers: signed.headers })
    const body = (await response.json()) as { Code: string }
    assert.notEqual(response.status, 200)
    assert.match(body.Code, /^Invalid(AccessKeyId|SecurityToken)/)
    assert.deepEqual(stack.problems, [])
  })
})
