import { useState } from 'preact/hooks'
import { signIn, type ConsoleSession } from '../api/auth.ts'
import { RpcError } from '../api/rpc.ts'

/** Props of {@link SignInPage}. */
export interface SignInPageProps {
  onSignedIn: (session: ConsoleSession) => void
  /** Why the user is here again (signed out, credentials expired). */
  notice?: string | undefined
}

/** User name and password → temporary credentials (contract §7). */
export function SignInPage(props: SignInPageProps) {
  const [userName, setUserName] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      props.onSignedIn(await signIn(userName.trim(), password))
    } catch (caught) {
      setError(messageOf(caught))
      setBusy(false)
    }
  }

  return (
    <main class="sign-in">
      <form onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">
          <span class="logo" aria-hidden="true" /> redis-sessions
        </h1>
        {props.notice !== undefined && (
          <p class="notice" role="status">
            {props.notice}
          </p>
        )}
        <label>
          User name
          <input
            name="username"
            autoComplete="username"
            required
            maxLength={64}
            value={userName}
            onInput={(event) => setUserName(event.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={128}
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </label>
        {error !== undefined && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="hint">
          Signs RPC calls with temporary credentials valid for one hour; your policies apply as for
          any SDK.
        </p>
      </form>
    </main>
  )
}

function messageOf(error: unknown): string {
  if (!(error instanceof RpcError)) return String(error)
  if (error.code === 'InvalidParams') return 'The user name or password is incorrect.'
  if (error.code.startsWith('Throttling')) return 'Too many failed sign-ins: wait a few minutes.'
  if (error.code === 'NetworkError') return `The server cannot be reached (${error.message}).`
  return error.describe()
}
