import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../support/free-port.ts'
import { makeTempDir, removeTempDir } from '../../support/processes.ts'
import { waitFor } from '../../support/wait.ts'

/** Debian's nginx (`apt-get install nginx`); NGINX_BIN overrides. */
export const NGINX_BIN = process.env['NGINX_BIN'] ?? '/usr/sbin/nginx'
const DEPLOYMENT_DOC = fileURLToPath(new URL('../../../docs/deployment.md', import.meta.url))

/** Why nginx cannot run here, or undefined. */
export function nginxUnavailableReason(): string | undefined {
  return existsSync(NGINX_BIN) ? undefined : `${NGINX_BIN} not found: apt-get install -y nginx`
}

/**
 * The ```nginx block of docs/deployment.md — the documented configuration is the tested one —
 * with its two upstream `server` addresses and its `listen` port replaced.
 */
export async function documentedConfig(
  upstreams: readonly string[],
  port: number
): Promise<string> {
  const doc = await readFile(DEPLOYMENT_DOC, 'utf8')
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1]
  if (block === undefined) throw new Error('docs/deployment.md has no ```nginx block')
  let next = 0
  const config = block
    .replace(/^(\s*server )\S+:\d+/gm, (_all, lead: string) => `${lead}${upstreams[next++] ?? ''}`)
    .replace(/^(\s*listen )8080;/m, `$1127.0.0.1:${port};`)
  if (next !== upstreams.length) throw new Error(`the block has ${next} upstream servers`)
  if (!config.includes(`listen 127.0.0.1:${port};`)) throw new Error('no `listen 8080;` to replace')
  return config
}

/** A running nginx. */
export interface NginxFront {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** `$upstream_addr` of every request so far, in order (its access log). */
  upstreams(): Promise<string[]>
  stop(): Promise<void>
}

/**
 * nginx in the foreground (`daemon off`) from a temp prefix, with `siteConfig(port)` included in
 * a minimal `nginx.conf`; ready once `/healthz` answers through it. Retries another port when
 * the chosen one was taken meanwhile.
 */
export async function startNginx(
  siteConfig: (port: number) => Promise<string>
): Promise<NginxFront> {
  const dir = await makeTempDir('rs-nginx-')
  // Workers run as nobody when nginx starts as root: they must reach the temp paths.
  await chmod(dir, 0o755)
  await mkdir(join(dir, 'logs'))
  let lastError: unknown
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    const log = join(dir, 'logs', `access-${attempt}.log`)
    await writeFile(join(dir, 'site.conf'), await siteConfig(port))
    await writeFile(join(dir, 'nginx.conf'), mainConfig(dir, log))
    const child = spawn(
      NGINX_BIN,
      ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      }
    )
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    let exited = false
    const exit = new Promise<void>((resolve) =>
      child.once('exit', () => ((exited = true), resolve()))
    )
    const stop = async () => {
      if (!exited) child.kill('SIGTERM')
      await exit
    }
    const url = `http://127.0.0.1:${port}`
    try {
      await waitFor(
        async () => {
          if (exited) throw new Error(`nginx exited: ${stderr}`)
          return (await fetch(`${url}/healthz`)).status === 200
        },
        { what: 'nginx to proxy /healthz', timeoutMs: 15_000 }
      )
      return {
        url,
        upstreams: async () =>
          (await readFile(log, 'utf8')).split('\n').filter((line) => line !== ''),
        async stop() {
          await stop()
          await removeTempDir(dir)
        },
      }
    } catch (error) {
      lastError = error
      await stop()
      if (!stderr.includes('Address already in use')) break
    }
  }
  await removeTempDir(dir)
  throw new Error('nginx did not start', { cause: lastError })
}

function mainConfig(dir: string, accessLog: string): string {
  return `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 256; }
http {
    log_format upstream '$upstream_addr';
    access_log ${accessLog} upstream;
    client_body_temp_path ${join(dir, 'client_body')};
    proxy_temp_path ${join(dir, 'proxy')};
    fastcgi_temp_path ${join(dir, 'fastcgi')};
    uwsgi_temp_path ${join(dir, 'uwsgi')};
    scgi_temp_path ${join(dir, 'scgi')};
    include ${join(dir, 'site.conf')};
}
`
}
