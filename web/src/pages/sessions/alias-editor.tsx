import { useState } from 'preact/hooks'
import { useConsole } from '../../api/console-context.ts'
import { permissionOf, usePermission } from '../../api/permissions.ts'
import { RpcError } from '../../api/rpc.ts'
import { GuardedButton } from '../../components/guarded-button.tsx'

/** Props of {@link AliasCell}. */
export interface AliasCellProps {
  instanceId: string
  /** The source address (`Client`). */
  source: string
  alias: string
  /** Told after the server stored (or deleted, `''`) the alias. */
  onSaved: (source: string, alias: string) => void
}

/**
 * The alias of one source, edited in place with SetRedisClientAlias (an empty alias deletes
 * it with DeleteRedisClientAlias). Scope: this instance, or every instance.
 */
export function AliasCell({ instanceId, source, alias, onSaved }: AliasCellProps) {
  const { call } = useConsole()
  const [editing, setEditing] = useState(false)
  const [text, setText] = useState(alias)
  const [global, setGlobal] = useState(false)
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const unix = source.startsWith('/')
  // Aliases for every instance are checked on `*`, the default scope on this instance.
  const globalSet = usePermission('SetRedisClientAlias')

  if (!editing) {
    return (
      <span class="alias-cell">
        <span class="alias" data-alias={source}>
          {alias}
        </span>
        {!unix && (
          <GuardedButton
            action="SetRedisClientAlias"
            instanceId={instanceId}
            title={`Name ${source}`}
            testId={`edit-alias-${source}`}
            onClick={() => {
              setText(alias)
              setError(undefined)
              setEditing(true)
            }}
          >
            <span aria-hidden="true">✎</span>
            <span class="sr-only">Edit the alias of {source}</span>
          </GuardedButton>
        )}
      </span>
    )
  }

  const save = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    const scope = global ? {} : { InstanceId: instanceId }
    const description = text.trim()
    const action = description === '' ? 'DeleteRedisClientAlias' : 'SetRedisClientAlias'
    const permission = permissionOf(action, global ? undefined : instanceId)
    if (permission.denied) {
      setError(permission.reason)
      setBusy(false)
      return
    }
    try {
      if (description === '') await call('DeleteRedisClientAlias', { Cidr: source, ...scope })
      else await call('SetRedisClientAlias', { Cidr: source, Description: description, ...scope })
      onSaved(source, description)
      setEditing(false)
    } catch (caught) {
      setError(caught instanceof RpcError ? caught.describe() : String(caught))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="alias-form" onSubmit={(event) => void save(event)}>
      <input
        aria-label={`Alias of ${source}`}
        value={text}
        maxLength={128}
        autoFocus
        placeholder="e.g. web tier (empty deletes)"
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setEditing(false)
        }}
      />
      <label
        class="check"
        title={globalSet.denied ? globalSet.reason : 'Apply to this address on every instance'}
      >
        <input
          type="checkbox"
          checked={global}
          disabled={globalSet.denied}
          onChange={(event) => setGlobal(event.currentTarget.checked)}
        />
        all instances
      </label>
      <button type="submit" class="primary" disabled={busy}>
        Save
      </button>
      <button type="button" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error !== undefined && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </form>
  )
}
