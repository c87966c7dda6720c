/**
 * A TLS-only redis-server (`--port 0 --tls-port …`, dependencies.md §5) with a throwaway CA, and
 * a second, unrelated CA to register it with (certificate verification must fail).
 */
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { connect } from 'node:tls'
import { promisify } from 'node:util'
import { freePort } from '../../support/free-port.ts'
import { makeTempDir, removeTempDir, spawnManaged } from '../../support/processes.ts'
import { REDIS_SERVER_BIN } from '../../support/redis-server.ts'
import { waitFor } from '../../support/wait.ts'

const run = promisify(execFile)

/** A running TLS-only server and the PEM text of the CA that signed it and of another CA. */
export interface TlsRedis {
  port: number
  /** PEM of the CA that signed the server certificate. */
  ca: string
  /** PEM of an unrelated CA. */
  otherCa: string
  stop(): Promise<void>
}

/** A self-signed CA `<name>.crt`/`.key` in `dir` (absolute paths: redis --dir moves the cwd). */
async function makeCa(dir: string, name: string): Promise<string> {
  const file = join(dir, name)
  await run(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2'].concat([
      '-keyout',
      `${file}.key`,
      '-out',
      `${file}.crt`,
      '-subj',
      `/CN=redis-sessions reliability ${name}`,
    ])
  )
  return `${file}.crt`
}

/** Starts redis-server on a TLS port only, certificate for 127.0.0.1 signed by its own CA. */
export async function startTlsOnlyRedis(): Promise<TlsRedis> {
  const dir = await makeTempDir('rs-tls-')
  try {
    const caFile = await makeCa(dir, 'ca')
    const otherFile = await makeCa(dir, 'other-ca')
    const key = join(dir, 'server.key')
    const csr = join(dir, 'server.csr')
    const cert = join(dir, 'server.crt')
    await run('openssl', [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      '/CN=127.0.0.1',
    ])
    await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
    await run(
      'openssl',
      ['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', join(dir, 'ca.key')].concat([
        '-CAcreateserial',
        '-out',
        cert,
        '-extfile',
        join(dir, 'san.ext'),
        '-days',
        '2',
      ])
    )
    const ca = await readFile(caFile, 'utf8')
    const port = await freePort()
    const args = ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1']
      .concat(['--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', caFile])
      .concat(['--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no', '--dir', dir])
      .concat(['--logfile', join(dir, 'redis.log'), '--daemonize', 'no'])
    const proc = await spawnManaged(REDIS_SERVER_BIN, args, { name: `redis-tls:${port}`, cwd: dir })
    const stop = async (): Promise<void> => {
      await proc.stop()
      await removeTempDir(dir)
    }
    try {
      await waitFor(() => tlsPing(port, ca), { what: `TLS redis on ${port}`, timeoutMs: 20_000 })
    } catch (error) {
      await stop()
      throw error
    }
    return { port, ca, otherCa: await readFile(otherFile, 'utf8'), stop }
  } catch (error) {
    await removeTempDir(dir)
    throw error
  }
}

/** True when the TLS port answers PING with +PONG, verifying the certificate with `ca`. */
function tlsPing(port: number, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(2000, () => done(false))
    socket.on('error', () => done(false))
    socket.once('secureConnect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk: Buffer) => done(chunk.toString('latin1').startsWith('+PONG')))
  })
}
