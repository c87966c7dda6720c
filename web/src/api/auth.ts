/**
 * Console sign-in (contract §7): `POST /console/sign-in` with a user name and password gives
 * temporary credentials (1 hour) that sign every RPC call; sign-out revokes them with the
 * `DeleteConsoleSession` action. They live in `sessionStorage`: per tab, gone when it closes.
 */
import { RpcError, type Credentials, type RpcCall } from './rpc.ts'

const STORAGE_KEY = 'redis-sessions.console'

/** A signed-in console: credentials and the server's clock offset. */
export interface ConsoleSession {
  credentials: Credentials
  /** Server clock minus browser clock, ms: signatures carry the server's idea of now. */
  clockSkewMs: number
}

/** Signs in; rejects with {@link RpcError} (`InvalidParams` for a wrong name or password). */
export async function signIn(userName: string, password: string): Promise<ConsoleSession> {
  let response: Response
  try {
    response = await fetch('/console/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ UserName: userName, Password: password }),
      credentials: 'omit',
      cache: 'no-store',
    })
  } catch (error) {
    throw new RpcError('NetworkError', error instanceof Error ? error.message : String(error))
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
  const text = (name: string) => (typeof body[name] === 'string' ? body[name] : '')
  if (!response.ok) {
    throw new RpcError(text('Code') || `HTTP${response.status}`, text('Message'), {
      status: response.status,
      detail: text('Detail'),
      requestId: text('RequestId'),
    })
  }
  const serverDate = Date.parse(response.headers.get('date') ?? '')
  const session: ConsoleSession = {
    credentials: {
      UserName: text('UserName') || userName,
      AccessKeyId: text('AccessKeyId'),
      AccessKeySecret: text('AccessKeySecret'),
      SecurityToken: text('SecurityToken'),
      Expiration: text('Expiration'),
    },
    // `Date` has 1 s resolution: only correct clocks that are clearly off.
    clockSkewMs:
      Number.isFinite(serverDate) && Math.abs(serverDate - Date.now()) > 5000
        ? serverDate - Date.now()
        : 0,
  }
  saveSession(session)
  return session
}

/** Revokes the credentials on the server (best effort) and forgets them here. */
export async function signOut(call: RpcCall | undefined): Promise<void> {
  try {
    if (call !== undefined) await call('DeleteConsoleSession')
  } catch {
    // Already revoked or expired: signing out locally is what matters.
  } finally {
    sessionStorage.removeItem(STORAGE_KEY)
  }
}

/** The stored session, unless absent, unreadable or expired. */
export function loadSession(now = Date.now()): ConsoleSession | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY)
    if (raw === null) return undefined
    const session = JSON.parse(raw) as ConsoleSession
    if (!(Date.parse(session.credentials.Expiration) > now)) {
      sessionStorage.removeItem(STORAGE_KEY)
      return undefined
    }
    return session
  } catch {
    return undefined
  }
}

/** Forgets the stored session without calling the server (expired or revoked credentials). */
export function forgetSession(): void {
  sessionStorage.removeItem(STORAGE_KEY)
}

function saveSession(session: ConsoleSession): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session))
}
