import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

/** A key and a self-signed certificate (its own CA), as files and as their PEM bytes. */
export interface SelfSignedCertificate {
  certFile: string
  keyFile: string
  /** PEM of the certificate: the CA a client must be given to verify it. */
  cert: Buffer
  key: Buffer
}

/**
 * Writes a throwaway key and a self-signed certificate for IP 127.0.0.1 into `dir`
 * (`server.key`, `server.crt`; openssl CLI, EC P-256 because it is quick to make, valid a day).
 */
export async function makeSelfSignedCertificate(dir: string): Promise<SelfSignedCertificate> {
  const keyFile = join(dir, 'server.key')
  const certFile = join(dir, 'server.crt')
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ])
  return { certFile, keyFile, cert: await readFile(certFile), key: await readFile(keyFile) }
}
