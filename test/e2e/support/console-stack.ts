/**
 * A real stack for console tests: redis-server, the API server (`startServer`, port 0, temp data
 * dir, SQLite), and headless Debian Chromium driven by playwright-core.
 */
import { rm } from 'node:fs/promises'
import { testLogger } from '../../support/test-logs.ts'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'
import { buildSignedRequest } from '../../../src/api/signature/sign.ts'
import { loadConfig } from '../../../src/config/load-config.ts'
import { startServer, type RunningServer } from '../../../src/server/start-server.ts'
import { makeTempDir } from '../../support/processes.ts'
import { recordSecret } from '../../support/secrets.ts'
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.ts'
import { ensureConsoleBuilt } from './build-console.ts'

/** Known admin credentials of every stack. */
export const ADMIN = {
  userName: 'admin',
  password: 'console-admin-password-1',
  accessKeyId: 'LTAIconsoletestadmin01',
  accessKeySecret: 'console-test-admin-secret-0123456789',
} as const
recordSecret('console e2e admin AccessKeySecret', ADMIN.accessKeySecret)
recordSecret('console e2e admin password', ADMIN.password)

/** Debian Chromium (dependencies.md §6). */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** The launch flags of dependencies.md §6. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
  '--no-default-browser-check',
]

/** A running stack. */
export interface ConsoleStack {
  /** `http://127.0.0.1:<port>` of the API server (console at `/`). */
  url: string
  redis: RedisServerHandle
  server: RunningServer
  browser: Browser
  /** An RPC call signed with the admin AccessKey (V3), as an SDK would make it; returns the body. */
  adminCall(action: string, params?: Record<string, string>): Promise<Record<string, unknown>>
  /** A fresh browser context and page; its console errors and failed requests land in `problems`. */
  newPage(options?: BrowserContextOptions): Promise<Page>
  /** Page errors, console errors and HTTP ≥ 500 answers seen by any page. */
  problems: string[]
  stop(): Promise<void>
}

/** Starts redis-server, the server and Chromium; stop everything with `stack.stop()`. */
export async function startConsoleStack(): Promise<ConsoleStack> {
  await ensureConsoleBuilt()
  const cleanups: (() => Promise<void>)[] = []
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined)
  }
  try {
    // Bound to 127.0.0.1 only; protected mode off so sessions from 127.0.0.2… (other loopback
    // addresses, see raw-sessions.ts) are accepted.
    const redis = await startRedisServer({ args: ['--protected-mode', 'no'] })
    cleanups.push(() => redis.stop())
    const dataDir = await makeTempDir('redis-sessions-console-')
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      REDIS_SESSIONS_DATA_DIR: dataDir,
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId,
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: ADMIN.accessKeySecret,
      REDIS_SESSIONS_ADMIN_PASSWORD: ADMIN.password,
      REDIS_SESSIONS_HISTORY_INTERVAL_S: '1',
    })
    const server = await startServer(
      config,
      testLogger('console-e2e', { also: { level: 'warn', stream: process.stdout } })
    )
    cleanups.push(() => server.close())
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    })
    cleanups.push(() => browser.close())
    const problems: string[] = []
    return {
      url: server.url,
      redis,
      server,
      browser,
      problems,
      stop,
      adminCall: (action, params = {}) => adminCall(server.url, action, params),
      async newPage(options = {}) {
        const context = await browser.newContext({
          viewport: { width: 1440, height: 900 },
          colorScheme: 'light',
          acceptDownloads: true,
          ...options,
        })
        const page = await context.newPage()
        page.setDefaultTimeout(10_000)
        page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
        page.on('console', (message) => {
          // A 4xx RPC answer is logged by Chromium as a failed resource; those are expected.
          if (message.type() === 'error' && !message.text().includes('status of 4')) {
            problems.push(`console: ${message.text()}`)
          }
        })
        page.on('response', (response) => {
          if (response.status() >= 500) problems.push(`HTTP ${response.status()} ${response.url()}`)
        })
        return page
      },
    }
  } catch (error) {
    await stop()
    throw error
  }
}

async function adminCall(
  endpoint: string,
  action: string,
  params: Record<string, string>
): Promise<Record<string, unknown>> {
  const signed = buildSignedRequest({
    endpoint,
    scheme: 'V3',
    action,
    params,
    accessKeyId: ADMIN.accessKeyId,
    accessKeySecret: ADMIN.accessKeySecret,
  })
  const response = await fetch(signed.url, {
    method: signed.method,
    headers: signed.headers,
    ...(signed.body.length === 0 ? {} : { body: signed.body }),
  })
  const body: unknown = await response.json()
  if (typeof body !== 'object' || body === null) throw new Error(`${action}: not a JSON object`)
  const record = body as Record<string, unknown>
  if (!response.ok) throw new Error(`${action}: HTTP ${response.status} ${JSON.stringify(body)}`)
  return record
}
