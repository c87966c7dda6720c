import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import type { TlsOptions } from '../../src/core/redis/connection-options.ts'
import { parseRedisUrl } from '../../src/core/redis/parse-redis-url.ts'
import { discoverTopology } from '../../src/core/topology/discover-topology.ts'
import { freePort } from '../support/free-port.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { assertOperatorError, rejection, required, spec } from './topology-support.ts'

const run = promisify(execFile)
const PASSWORD = 'Tls-Secret-5'

/** A throwaway CA and a server certificate for 127.0.0.1 signed by it (absolute paths, redis.md §12). */
async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const file = (name: string) => join(dir, name)
  const days = ['-days', '2']
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-subj',
    '/CN=redis-sessions test CA',
    ...days,
  ])
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ])
  await writeFile(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.crt'),
    '-extfile',
    file('san.ext'),
    ...days,
  ])
  return { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key') }
}

void describe('discoverTopology over TLS (rediss://)', () => {
  let dir: string | undefined
  let server: RedisServerHandle | undefined
  let tlsPort = 0
  let ca = ''

  before(async () => {
    dir = await makeTempDir('redis-tls-')
    const files = await makeCertificates(dir)
    ca = await readFile(files.ca, 'utf8')
    tlsPort = await freePort()
    server = await startRedisServer({
      password: PASSWORD,
      args: [
        '--tls-port',
        String(tlsPort),
        '--tls-cert-file',
        files.cert,
        '--tls-key-file',
        files.key,
        '--tls-ca-cert-file',
        files.ca,
        '--tls-auth-clients',
        'no',
      ],
    })
  })
  after(async () => {
    await server?.stop()
    if (dir !== undefined) await removeTempDir(dir)
  })

  const discover = (tls: TlsOptions) => {
    const url = parseRedisUrl(`rediss://:${PASSWORD}@127.0.0.1:${tlsPort}`)
    assert.deepEqual(url.connection.tls, {})
    const connection = { ...url.connection, tls, connectTimeoutMs: 5000, commandTimeoutMs: 5000 }
    return discoverTopology(spec('auto', url.endpoints, { connection }))
  }

  void it('connects with the CA bundle', async () => {
    required(server, 'server')
    const topology = await discover({ ca })
    assert.deepEqual(
      topology.nodes.map((n) => n.nodeId),
      [`r-test-db-0#${tlsPort}`]
    )
  })

  void it('fails with TlsFailed when the certificate cannot be verified', async () => {
    const error = await rejection(discover({}))
    assertOperatorError(error, {
      code: 'TopologyDiscoveryFailed',
      node: `127.0.0.1:${tlsPort}`,
      cause: /TLS failed/,
      secret: PASSWORD,
    })
    assert.ok(error instanceof Error)
    assertOperatorError(error.cause, { code: 'TlsFailed', cause: /TLS failed/, secret: PASSWORD })
  })

  void it('fails with TlsFailed when the name does not match, unless verification is off', async () => {
    const error = await rejection(discover({ ca, servername: 'other.example' }))
    assert.ok(error instanceof Error)
    assertOperatorError(error.cause, {
      code: 'TlsFailed',
      cause: /other\.example/,
      secret: PASSWORD,
    })
    const topology = await discover({ rejectUnauthorized: false })
    assert.equal(topology.nodes.length, 1)
  })
})
