import { randomBytes, randomUUID } from 'node:crypto'
import { hashPassword, verifyPassword } from '../store/password-hash.ts'
import { newAccessKeyId, newAccessKeySecret } from '../store/random-ids.ts'
import type { AuditEvent, JsonValue, NewAccessKey, Store } from '../store/store.ts'
import { localCallerName } from './local-caller.ts'

export const ADMIN_USER = 'admin'
export const ADMIN_POLICY = 'AdministratorAccess'
const ADMIN_POLICY_DOCUMENT = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
})
/** The audit log's `Action` of what the server's start does to `admin`. */
export const BOOTSTRAP_ACTION = 'BootstrapAdmin'

export interface AdminBootstrap {
  accessKeyId: string | undefined
  accessKeySecret: string | undefined
  password: string | undefined
}

/** What was generated and must be shown once (never logged). */
export interface GeneratedAdminSecrets {
  accessKey?: { accessKeyId: string; accessKeySecret: string }
  password?: string
}

/**
 * Contract §7: the first start creates user `admin` with a policy allowing `*`, an
 * AccessKey (from the environment when set, else generated) and a console password
 * (likewise) — in one transaction with its audit event, so a crash half-way leaves nothing
 * (the next start begins again and shows the secrets it generates) rather than an admin
 * without key whose password was never shown. Later starts only add the AccessKey / set the
 * password the environment names (audited when that changes something), so the environment
 * stays the source of truth for a scripted deployment. Changes are audited as
 * `local:<OS user>`, like the CLI's changes to the local store.
 */
export async function bootstrapAdmin(
  store: Store,
  given: AdminBootstrap,
  userName: string = localCallerName()
): Promise<GeneratedAdminSecrets> {
  const auditEvent = (detail: Record<string, JsonValue>): AuditEvent => ({
    time: Date.now(),
    requestId: randomUUID().toUpperCase(),
    userName,
    accessKeyId: '',
    sourceIp: 'local',
    action: BOOTSTRAP_ACTION,
    result: 'Success',
    detail: { user: ADMIN_USER, ...detail },
  })
  const envKey: NewAccessKey | undefined =
    given.accessKeyId !== undefined && given.accessKeySecret !== undefined
      ? { accessKeyId: given.accessKeyId, accessKeySecret: given.accessKeySecret }
      : undefined
  const existing = await store.users.get(ADMIN_USER)
  if (existing === undefined) {
    const password = given.password ?? randomSecret(18)
    const accessKey = envKey ?? {
      accessKeyId: newAccessKeyId(),
      accessKeySecret: newAccessKeySecret(),
    }
    await store.bootstrap.createAdministrator({
      userName: ADMIN_USER,
      passwordHash: await hashPassword(password),
      policy: {
        name: ADMIN_POLICY,
        document: ADMIN_POLICY_DOCUMENT,
        description: 'Full access (bootstrap)',
      },
      accessKey,
      audit: auditEvent({
        created: true,
        policy: ADMIN_POLICY,
        accessKeyId: accessKey.accessKeyId,
        accessKeyFrom: envKey === undefined ? 'generated' : 'environment',
        passwordFrom: given.password === undefined ? 'generated' : 'environment',
      }),
    })
    const generated: GeneratedAdminSecrets = {}
    if (given.password === undefined) generated.password = password
    if (envKey === undefined) generated.accessKey = accessKey
    return generated
  }
  const changes: Record<string, JsonValue> = {}
  if (given.password !== undefined && !(await passwordIs(existing.passwordHash, given.password))) {
    await store.users.setPassword(ADMIN_USER, await hashPassword(given.password))
    changes['passwordFrom'] = 'environment'
  }
  if (envKey !== undefined) {
    const known = await store.accessKeys.getForVerification(envKey.accessKeyId)
    if (known === undefined) {
      await store.accessKeys.create(ADMIN_USER, envKey)
      changes['accessKeyId'] = envKey.accessKeyId
      changes['accessKeyFrom'] = 'environment'
    }
  }
  if (Object.keys(changes).length > 0) {
    await store.audit.append(auditEvent({ created: false, ...changes }))
  }
  return {}
}

async function passwordIs(hash: string | undefined, password: string): Promise<boolean> {
  return hash !== undefined && (await verifyPassword(password, hash))
}

function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString('base64url')
}
