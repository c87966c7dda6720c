import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { MAX_PASSWORD_LENGTH } from '../actions/identity/params.ts'
import { isoDate } from '../actions/identity/present.ts'
import { ApiError } from '../errors/api-error.ts'
import type { Services } from '../services.ts'
import { USER_NAME_PATTERN } from '../../store/repositories/validate.ts'
import { hashPassword, verifyPassword } from '../../store/password-hash.ts'
import { createSignInThrottle } from './sign-in-throttle.ts'

/** Lifetime of console credentials (contract §7: 1 hour). */
export const CONSOLE_SESSION_TTL_MS = 60 * 60 * 1000
/** A sign-in body is two short strings; anything bigger is refused before it is read. */
export const SIGN_IN_BODY_LIMIT_BYTES = 4096
/** Path of the sign-in route. */
export const SIGN_IN_PATH = '/console/sign-in'
/** The one answer for an unknown user, a user without password and a wrong password. */
const WRONG_CREDENTIALS = 'the user name or password is incorrect'

const bodySchema = z.object({
  UserName: z.string().min(1).max(64),
  Password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
})

// Verified against when the user does not exist (or has no password), so that a wrong user
// name costs the same scrypt work as a wrong password: timing does not tell users apart.
let dummyHash: Promise<string> | undefined
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'))
  return dummyHash
}

/**
 * `POST /console/sign-in` (contract §7), not an RPC action since the caller holds no key yet:
 * JSON `{"UserName","Password"}` → `{RequestId, UserName, AccessKeyId, AccessKeySecret,
 * SecurityToken, Expiration}`, temporary credentials valid for one hour that sign RPC calls
 * like any SDK (sign-out: the `DeleteConsoleSession` action). Every attempt with a user name
 * is audited as `ConsoleSignIn`; failures answer one error whatever the reason.
 */
export function registerSignInRoute(app: FastifyInstance, services: Services): void {
  const throttle = createSignInThrottle()
  app.post(SIGN_IN_PATH, { bodyLimit: SIGN_IN_BODY_LIMIT_BYTES }, async (request, reply) => {
    // JSON only: a cross-site <form> can post text/plain or form bodies, not application/json.
    const type = (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase()
    if (type !== 'application/json') {
      throw new ApiError('InvalidParams', { detail: 'send Content-Type: application/json' })
    }
    const { UserName: userName, Password: password } = readBody(request.body)
    const now = services.now().getTime()
    throttle.check(request.ip, now)
    const audit = (result: string, accessKeyId: string, reason?: string) =>
      services.store.audit.append({
        time: now,
        requestId: request.id,
        // A name that cannot exist is not echoed into the log as given.
        userName: USER_NAME_PATTERN.test(userName) ? userName : '(invalid)',
        accessKeyId,
        sourceIp: request.ip,
        action: 'ConsoleSignIn',
        result,
        detail: reason === undefined ? {} : { reason },
      })

    const user = USER_NAME_PATTERN.test(userName)
      ? await services.store.users.get(userName)
      : undefined
    const matches = await verifyPassword(password, user?.passwordHash ?? (await getDummyHash()))
    if (user?.passwordHash === undefined || !matches) {
      throttle.recordFailure(request.ip, now)
      // The reason is for administrators reading the audit log, never for the caller.
      const reason =
        user === undefined
          ? 'unknown user'
          : user.passwordHash === undefined
            ? 'no password'
            : 'wrong password'
      await audit('InvalidParams', '', reason)
      throw new ApiError('InvalidParams', { detail: WRONG_CREDENTIALS })
    }
    const issued = await services.store.tempCredentials.create(
      userName,
      CONSOLE_SESSION_TTL_MS,
      now
    )
    await audit('Success', issued.accessKeyId)
    return reply
      .header('cache-control', 'no-store')
      .type('application/json;charset=utf-8')
      .send(
        JSON.stringify({
          RequestId: request.id,
          UserName: userName,
          AccessKeyId: issued.accessKeyId,
          AccessKeySecret: issued.accessKeySecret,
          SecurityToken: issued.securityToken,
          Expiration: isoDate(issued.expiresAt),
        })
      )
  })
}

function readBody(body: unknown): z.infer<typeof bodySchema> {
  let value: unknown
  try {
    value = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : '')
  } catch {
    throw new ApiError('InvalidParams', { detail: 'the body is not JSON' })
  }
  const parsed = bodySchema.safeParse(value)
  if (!parsed.success) {
    throw new ApiError('InvalidParams', {
      detail: 'expected {"UserName": "…", "Password": "…"} (1–64 and 1–128 characters)',
    })
  }
  return parsed.data
}
