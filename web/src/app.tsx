import { useCallback, useMemo, useState } from 'preact/hooks'
import { forgetSession, loadSession, signOut, type ConsoleSession } from './api/auth.ts'
import { ConsoleContext, withPermissionNotes, type ConsoleApi } from './api/console-context.ts'
import { resetPermissions } from './api/permissions.ts'
import { createRpc } from './api/rpc.ts'
import { InstancesPage } from './pages/instances/instances-page.tsx'
import { SessionsPage } from './pages/sessions/sessions-page.tsx'
import { SignInPage } from './pages/sign-in.tsx'
import { hrefOf, useRoute } from './lib/router.ts'

/** The console: sign-in, then the instance list and one page per instance. */
export function App() {
  const [session, setSession] = useState(() => loadSession())
  const [notice, setNotice] = useState<string>()

  const lost = useCallback((message: string) => {
    forgetSession()
    resetPermissions()
    setNotice(message)
    setSession(undefined)
  }, [])

  const api = useMemo<ConsoleApi | undefined>(() => {
    if (session === undefined) return undefined
    const raw = createRpc({
      credentials: session.credentials,
      clockSkewMs: session.clockSkewMs,
      onSignedOut: (error) => lost(`Signed out: ${error.describe()}. Sign in again.`),
    })
    return {
      userName: session.credentials.UserName,
      call: withPermissionNotes(raw),
      signOut: async () => {
        await signOut(raw)
        lost('You are signed out.')
      },
    }
  }, [session, lost])

  if (api === undefined) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(signedIn: ConsoleSession) => {
          setNotice(undefined)
          setSession(signedIn)
        }}
      />
    )
  }
  return (
    <ConsoleContext.Provider value={api}>
      <Shell api={api} />
    </ConsoleContext.Provider>
  )
}

function Shell({ api }: { api: ConsoleApi }) {
  const route = useRoute()
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={hrefOf({ page: 'instances' })}>
          <span class="logo" aria-hidden="true" /> redis-sessions
        </a>
        <nav aria-label="Main">
          <a
            href={hrefOf({ page: 'instances' })}
            aria-current={route.page === 'instances' ? 'page' : undefined}
          >
            Instances
          </a>
        </nav>
        <span class="spacer" />
        <span class="user" title="Signed in as">
          {api.userName}
        </span>
        <button type="button" onClick={() => void api.signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'instances' ? (
          <InstancesPage />
        ) : (
          <SessionsPage key={route.instanceId} instanceId={route.instanceId} tab={route.tab} />
        )}
      </main>
    </>
  )
}
