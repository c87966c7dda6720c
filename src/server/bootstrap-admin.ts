import { randomBytes } from 'node:crypto'
import { hashPassword } from '../store/password-hash.ts'
import type { Store } from '../store/store.ts'

export const ADMIN_USER = 'admin'
export const ADMIN_POLICY = 'AdministratorAccess'
const ADMIN_POLICY_DOCUMENT = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
})

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
 * (likewise). Later starts only add the AccessKey / set the password the environment
 * names, so the environment stays the source of truth for a scripted deployment.
 */
export async function bootstrapAdmin(
  store: Store,
  given: AdminBootstrap
): Promise<GeneratedAdminSecrets> {
  const generated: GeneratedAdminSecrets = {}
  const existing = await store.users.get(ADMIN_USER)
  if (existing === undefined) {
    const password = given.password ?? randomSecret(18)
    await store.users.create(ADMIN_USER, await hashPassword(password))
    if (given.password === undefined) generated.password = password
    if ((await store.policies.get(ADMIN_POLICY)) === undefined) {
      await store.policies.create(ADMIN_POLICY, ADMIN_POLICY_DOCUMENT, 'Full access (bootstrap)')
    }
    await store.policies.attach(ADMIN_POLICY, ADMIN_USER)
    if (given.accessKeyId === undefined || given.accessKeySecret === undefined) {
      generated.accessKey = await store.accessKeys.create(ADMIN_USER)
    }
  } else if (given.password !== undefined) {
    await store.users.setPassword(ADMIN_USER, await hashPassword(given.password))
  }
  if (given.accessKeyId !== undefined && given.accessKeySecret !== undefined) {
    const known = await store.accessKeys.getForVerification(given.accessKeyId)
    if (known === undefined) {
      await store.accessKeys.create(ADMIN_USER, {
        accessKeyId: given.accessKeyId,
        accessKeySecret: given.accessKeySecret,
      })
    }
  }
  return generated
}

function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString('base64url')
}
