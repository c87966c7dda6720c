// Policies apply to the console exactly as to SDKs: a user without kill rights sees the kill
// buttons disabled with the reason, before and after trying. Sign-in errors and sign-out too.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { buildSignedRequest } from '../../src/api/signature/sign.ts'
import { hashPassword } from '../../src/store/password-hash.ts'
import { openMixedSessions, type MixedSessions } from '../support/client-sessions.ts'
import { eventually, screenshot, signIn } from './support/console-page.ts'
import { startConsoleStack, type ConsoleStack } from './support/console-stack.ts'

const INSTANCE = 'r-shared-cache'
const VIEWER = { userName: 'viewer', password: 'viewer-password-123' }
const READ_ONLY_POLICY = {
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: ['hdm:Get*', 'hdm:Describe*'], Resource: '*' }],
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
    await store.users.create(VIEWER.userName, await hashPassword(VIEWER.password))
    await store.policies.create('read-only', JSON.stringify(READ_ONLY_POLICY), 'console test')
    await store.policies.attach('read-only', VIEWER.userName)
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

  it('disables the kill buttons of a user without kill permission, with the reason', async () => {
    await signIn(page, stack.url, VIEWER.userName, VIEWER.password)
    await page.getByRole('link', { name: INSTANCE }).click()
    await page.getByTestId('sessions-grid').waitFor()
    for (const id of ['kill-selected', 'kill-filtered']) {
      const button = page.getByTestId(id)
      await eventually(
        `${id} denied`,
        async () => (await button.getAttribute('data-denied')) === 'true'
      )
      assert.equal(await button.getAttribute('aria-disabled'), 'true')
      assert.match(
        (await button.getAttribute('title')) ?? '',
        /hdm:KillRedisSessions on r-shared-cache \(NoPermission\)/
      )
      await button.click({ force: true })
      assert.equal(await page.getByTestId('kill-dialog').count(), 0, `${id} opens nothing`)
    }
    await screenshot(page, 'no-kill-permission')
  })

  it('learns from a refused Kill all and disables it too; nothing dies', async () => {
    await page.getByTestId('kill-all').click()
    const dialog = page.getByTestId('kill-dialog')
    await dialog.getByTestId('confirm-instance').fill(INSTANCE)
    await dialog.getByTestId('confirm-kill').click()
    await dialog.getByRole('alert').filter({ hasText: 'NoPermission' }).waitFor()
    await dialog.getByRole('button', { name: 'Close' }).click()
    const killAll = page.getByTestId('kill-all')
    assert.equal(await killAll.getAttribute('aria-disabled'), 'true')
    assert.match((await killAll.getAttribute('title')) ?? '', /hdm:KillInstanceAllSession/)
    const list = await stack.redis.cli('CLIENT', 'LIST')
    for (const { name } of mixed.expected)
      if (name !== '') assert.match(list, new RegExp(` name=${name} `))
  })

  it('learns that the user may not add instances', async () => {
    await page.getByRole('link', { name: 'Instances', exact: true }).first().click()
    await page.getByTestId('add-instance').click()
    const form = page.getByTestId('instance-form')
    await form.locator('input[name="InstanceId"]').fill('r-not-allowed')
    await form.locator('textarea[name="Endpoints"]').fill(`127.0.0.1:${stack.redis.port}`)
    await form.getByRole('button', { name: 'Add instance' }).click()
    await form.getByRole('alert').filter({ hasText: 'NoPermission' }).waitFor()
    await form.getByRole('button', { name: 'Cancel' }).click()
    assert.equal(await page.getByTestId('add-instance').getAttribute('aria-disabled'), 'true')
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
