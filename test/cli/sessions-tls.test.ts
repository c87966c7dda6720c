import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { freePort } from '../support/free-port.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { startBlackHole, type BlackHole } from './black-hole.ts'
import { parseDasData } from './das-data.ts'
import { assertOneLineFailure, ensureCliBuilt, runCli, runCliOk } from './run-cli.ts'

const run = promisify(execFile)

/** A throwaway CA and a certificate for 127.0.0.1 signed by it. */
async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const file = (name: string) => join(dir, name)
  const subject = (cn: string) => ['-subj', `/CN=${cn}`, '-days', '2']
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'),
    '-out', file('ca.crt'), ...subject('redis-sessions CLI test CA')]) // prettier-ignore
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('server.key'),
    '-out', file('server.csr'), '-subj', '/CN=127.0.0.1']) // prettier-ignore
  await writeFile(file('san.ext'), 'subjectAltName=IP:127.0.0.1\n')
  await run('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'),
    '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.crt'),
    '-extfile', file('san.ext'), '-days', '2']) // prettier-ignore
  return { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key') }
}

void describe('redis-sessions sessions: TLS ports and ports that never answer', () => {
  let dir = ''
  let server: RedisServerHandle | undefined
  let hole: BlackHole | undefined
  let tlsPort = 0
  let ca = ''

  before(async () => {
    await ensureCliBuilt()
    dir = await makeTempDir('rs-cli-tls-')
    const files = await makeCertificates(dir)
    ca = files.ca
    tlsPort = await freePort()
    server = await startRedisServer({
      args: ['--tls-port', String(tlsPort), '--tls-cert-file', files.cert,
        '--tls-key-file', files.key, '--tls-ca-cert-file', files.ca, '--tls-auth-clients', 'no'],
    }) // prettier-ignore
    hole = await startBlackHole()
  })
  after(async () => {
    await server?.stop()
    await hole?.close()
    if (dir !== '') await removeTempDir(dir)
  })

  void it('lists a TLS port with rediss:// and --tls-ca', async () => {
    const data = parseDasData(
      await runCliOk(['sessions', `rediss://127.0.0.1:${tlsPort}`, '--tls-ca', ca, '--json'])
    )
    assert.deepEqual(
      data.Nodes.map((n) => [n.NodeId, n.Status]),
      [[`cli-db-0#${tlsPort}`, 'ok']]
    )
  })

  void it('redis:// to a TLS port: "connection closed" with the hint to use rediss://', async () => {
    const discovered = await runCli(['sessions', `redis://127.0.0.1:${tlsPort}`])
    assertOneLineFailure(discovered, {
      node: `127.0.0.1:${tlsPort}`,
      cause: /: connection closed \(is it a TLS port\? use rediss:\/\/\)$/,
    })
    const listed = await runCli(['sessions', `redis://127.0.0.1:${tlsPort}`, '--nodes'])
    assertOneLineFailure(listed, {
      cause: new RegExp(
        `node cli-proxy-0#${tlsPort} failed: 127\\.0\\.0\\.1:${tlsPort}: connection closed \\(is it a TLS port\\? use rediss://\\)$`
      ),
    })
  })

  void it('a port that accepts and never answers: the error names the --timeout', async () => {
    const port = (hole ?? assert.fail('no black hole')).port
    const result = await runCli(['sessions', `redis://127.0.0.1:${port}`, '--timeout', '500'])
    assertOneLineFailure(result, {
      node: `127.0.0.1:${port}`,
      cause: /connect and authenticate took longer than 500 ms$/,
    })
  })
})
