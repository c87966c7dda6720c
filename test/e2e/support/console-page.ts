/** Page helpers for console tests: sign in, read the sessions grid, wait for a condition. */
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { waitFor } from '../../support/wait.ts'

/** Where the tests keep the screenshots the README shows. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url))

/** Opens the console and signs in; resolves once the signed-in shell shows. */
export async function signIn(page: Page, url: string, userName: string, password: string) {
  await page.goto(`${url}/`)
  await page.getByLabel('User name').fill(userName)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
}

/** Values of column `key` in the rendered rows of the grid, top to bottom. */
export async function columnValues(page: Page, key: string): Promise<string[]> {
  return page
    .locator(`[data-testid="sessions-grid"] .grid-body [data-col="${key}"]`)
    .allTextContents()
}

/** The grid's row count line, e.g. `12 of 40 sessions`. */
export async function rowCountText(page: Page): Promise<string> {
  return (await page.getByTestId('row-count').textContent()) ?? ''
}

/** Polls `check` (which reads the page) until true; fails with `what` after 15 s. */
export async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  await waitFor(check, { what, timeoutMs: 15_000, intervalMs: 100 })
}

/** Saves a full-window screenshot as `docs/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png` })
}
