import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { buildSignedRequest } from '../../src/api/signature/sign.ts'
import { freePort } from '../../test/support/free-port.ts'
import { makeTempDir } from '../../test/support/processes.ts'

const BIN = fileURLToPath(new URL('../../bin/redis-sessions.js', import.meta.url))
export const BENCH_KEY = {
  accessKeyId: 'LTAIbenchmarkAdminKey01',
  accessKeySecret: 'bench-secret-not-for-production',
}

export interface ApiServer {
  endpoint: string
  pid: number
  /** Signed V3 call; resolves with the raw body. */
  call(action: string, params: Record<string, string>): Promise<string>
  stop(): Promise<void>
}

/** Starts `redis-sessions serve` as its own process (its RSS is measured), result cache off. */
export async function startApiServer(env: Record<string, string> = {}): Promise<ApiServer> {
  const port = await freePort()
  const dataDir = await makeTempDir('bench-server-')
  // The command line of `npm start` (package.json): a larger young generation (performance.md).
  const child: ChildProcess = spawn(
    process.execPath,
    ['--max-semi-space-size=64', BIN, 'serve', '--port', String(port), '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: BENCH_KEY.accessKeyId,
        REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret,
        REDIS_SESSIONS_ADMIN_PASSWORD: 'bench-password',
        REDIS_SESSIONS_HISTORY_INTERVAL_S: '0',
        REDIS_SESSIONS_RESULT_CACHE_MS: '0',
        ...env,
      },
    }
  )
  await new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)))
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('"listening"')) resolve()
    })
  })
  child.removeAllListeners('exit')
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    pid: child.pid ?? 0,
    async call(action, params) {
      const request = buildSignedRequest({ endpoint, scheme: 'V3', action, params, ...BENCH_KEY })
      const response = await fetch(request.url, {
        method: request.method,
        // As the Alibaba SDKs do: no Accept-Encoding (fetch would ask for br/gzip by default).
        headers: { ...request.headers, 'accept-encoding': 'identity' },
        ...(request.method === 'POST' && request.body.length > 0 ? { body: request.body } : {}),
      })
      const body = await response.text()
      if (response.status !== 200)
        throw new Error(`${action}: HTTP ${response.status} ${body.slice(0, 300)}`)
      return body
    },
    async stop() {
      const exited = new Promise((resolve) => child.on('exit', resolve))
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 5000).unref()
      await exited
    },
  }
}
