/**
 * Measures the sessions page with 50,000 synthetic sessions in headless Chromium: first render,
 * sort, keyword search, and scroll frame times; plus the bundle's gzip size. Figures, not tests:
 * run `npx tsx web/scripts/measure.ts [rows]` and copy the table into docs/console.md.
 *
 * The server is real (sign-in, signatures, static files); only the GetRedisAllSession answer is
 * replaced in the browser (Playwright `route`) by a synthetic one, so no Redis with 50k clients
 * is needed and the figures are the console's own.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { pino } from 'pino'
import { chromium, type Page } from 'playwright-core'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer } from '../../src/server/start-server.ts'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/e2e/support/console-stack.ts'
import { ensureConsoleBuilt } from '../../test/e2e/support/build-console.ts'
import { IN_PAGE } from './measure-in-page.ts'
import { syntheticSessions } from './synthetic-sessions.ts'

const ROWS = Number(process.argv[2] ?? 50_000)
const ROUNDS = 5
const PASSWORD = 'measure-password-1'

await ensureConsoleBuilt()
const dataDir = await mkdtemp(join(tmpdir(), 'redis-sessions-measure-'))
const server = await startServer(
  loadConfig({
    PORT: '0',
    REDIS_SESSIONS_DATA_DIR: dataDir,
    REDIS_SESSIONS_ADMIN_PASSWORD: PASSWORD,
    REDIS_SESSIONS_HISTORY_INTERVAL_S: '0',
  }),
  pino({ level: 'error' })
)
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: CHROMIUM_ARGS,
})
try {
  await server.store.instances.add({
    instanceId: 'r-synthetic',
    topology: 'nodes',
    endpoints: ['127.0.0.1:1'],
    tls: { enabled: false, skipVerify: false },
    description: 'measure.ts',
  })
  const body = JSON.stringify({
    Code: 200,
    Message: 'Successful',
    Success: true,
    RequestId: 'MEASURE',
    Data: syntheticSessions(ROWS),
  })
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  await page.route(`${server.url}/`, async (route) => {
    const request = route.request()
    if (request.headers()['x-acs-action'] === 'GetRedisAllSession') {
      await route.fulfill({ status: 200, contentType: 'application/json', body })
    } else {
      await route.continue()
    }
  })
  await page.goto(`${server.url}/`)
  await page.getByLabel('User name').fill('admin')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Sign out' }).waitFor()

  const loaded = page.locator('[data-testid="row-count"]', {
    hasText: `${ROWS.toLocaleString('en-US')} sessions`,
  })
  await page.goto(`${server.url}/#/instances/r-synthetic`)
  await loaded.waitFor({ timeout: 60_000 })
  const loads: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const started = Date.now()
    await page.reload()
    await loaded.waitFor({ timeout: 60_000 })
    loads.push(Date.now() - started)
  }
  await page.evaluate(IN_PAGE)
  const sorts = await measure(page, 'measureSort("Name")')
  const sortsNumeric = await measure(page, 'measureSort("Idle")')
  const searches = await measure(page, 'measureSearch("web-1")')
  const wheel = await scrollFrames(page, 120)
  const pages = await scrollFrames(page, 900)
  const heap = await page.evaluate<number>(
    'performance.memory ? performance.memory.usedJSHeapSize : 0'
  )

  const assets = join(import.meta.dirname, '..', 'dist', 'assets')
  const gzipped: string[] = []
  for (const name of (await readdir(assets)).sort()) {
    const size = gzipSync(await readFile(join(assets, name)), { level: 9 }).length
    gzipped.push(`${name.replace(/-[\w-]{8}\./, '.')}: ${(size / 1024).toFixed(1)} KiB`)
  }
  console.log(
    `rows: ${ROWS.toLocaleString('en-US')}, Chromium ${browser.version()}, ${ROUNDS} rounds each (median / max ms)`
  )
  console.log(
    `| open the sessions page (JSON ${(body.length / 1e6).toFixed(1)} MB, parse, render) | ${stats(loads)} |`
  )
  console.log(`| sort by Name (text) | ${stats(sorts)} |`)
  console.log(`| sort by Idle (number) | ${stats(sortsNumeric)} |`)
  console.log(`| keyword search | ${stats(searches)} |`)
  for (const [label, run] of [
    ['wheel-sized steps (300 × 120 px)', wheel],
    ['page-sized steps (300 × 900 px)', pages],
  ] as const) {
    const frames = [...run.frames].sort((a, b) => a - b)
    console.log(
      `| scroll, ${label}: frame interval p50 / p95 / max | ${pct(frames, 0.5)} / ${pct(frames, 0.95)} / ${pct(frames, 1)} |`
    )
  }
  console.log(
    `| row elements in the DOM while scrolling (max) | ${Math.max(wheel.maxRows, pages.maxRows)} |`
  )
  console.log(`| JS heap after the runs | ${(heap / 1048576).toFixed(0)} MiB |`)
  console.log(`gzip -9: ${gzipped.join(', ')}`)
} finally {
  await browser.close()
  await server.close()
  await rm(dataDir, { recursive: true, force: true })
}

/** Frame intervals while scrolling the grid 300 times by `stepPx`; a CPU profile with PROFILE=1. */
async function scrollFrames(page: Page, stepPx: number) {
  const cdp =
    process.env['PROFILE'] === undefined ? undefined : await page.context().newCDPSession(page)
  await cdp?.send('Profiler.enable')
  await cdp?.send('Profiler.start')
  const run = await page.evaluate<{ frames: number[]; maxRows: number }>(
    `measureScroll(300, ${stepPx})`
  )
  if (cdp !== undefined) printProfile((await cdp.send('Profiler.stop')).profile)
  return run
}

/** What Chromium's `Profiler.stop` returns, as far as it is read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
  samples?: number[]
  timeDeltas?: number[]
}

/** Top 12 functions by self time (ms): where a scroll frame goes. */
function printProfile(profile: CpuProfile): void {
  const sampled = new Map<number, number>()
  profile.samples?.forEach((id, k) =>
    sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas?.[k] ?? 0))
  )
  const self = new Map<string, number>()
  for (const { id, callFrame } of profile.nodes) {
    const key = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.split('/').pop() ?? ''}:${callFrame.lineNumber}`
    self.set(key, (self.get(key) ?? 0) + (sampled.get(id) ?? 0) / 1000)
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)
  console.log(top.map(([key, ms]) => `${ms.toFixed(0)} ms ${key}`).join('\n'))
}

async function measure(page: Page, expression: string): Promise<number[]> {
  const times: number[] = []
  for (let round = 0; round < ROUNDS; round++) times.push(await page.evaluate<number>(expression))
  return times
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b)
  return `${pct(sorted, 0.5)} / ${pct(sorted, 1)}`
}

function pct(sorted: number[], p: number): string {
  const value = sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? 0
  return value.toFixed(1)
}
