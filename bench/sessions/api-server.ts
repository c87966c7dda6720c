import { spawn, type ChildProcess } from 'node:child_process'
import { Agent, request as httpRequest } from 'node:http'
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
  const agent = new Agent({ keepAlive: true })
  return {
    endpoint,
    pid: child.pid ?? 0,
    async call(action, params) {
      const request = buildSignedRequest({ endpoint, scheme: 'V3', action, params, ...BENCH_KEY })
      // node:http, as the Alibaba SDKs use it: no Accept-Encoding, the body read whole and
      // decoded once. (fetch added ≈ 10 ms of its own to reading a 4 MB body here.)
      const { status, body } = await new Promise<{ status: number; body: string }>(
        (resolve, reject) => {
          const sent = httpRequest(
            request.url,
            { method: request.method, headers: request.headers, agent },
            (response) => {
              const chunks: Buffer[] = []
              response.on('data', (chunk: Buffer) => chunks.push(chunk))
              response.on('error', reject)
              response.on('end', () => {
                resolve({
                  status: response.statusCode ?? 0,
                  body: Buffer.concat(chunks).toString('utf8'),
                })
              })
            }
          )
          sent.on('error', reject)
          sent.end(request.method === 'POST' ? request.body : undefined)
        }
      )
      if (status !== 200) throw new Error(`${action}: HTTP ${status} ${body.slice(0, 300)}`)
      return body
    },
    async stop() {
      agent.destroy()
      const exited = new Promise((resolve) => child.on('exit', resolve))
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 5000).unref()
      await exited
    },
  }
}
