import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { useConsole } from '../../api/console-context.ts'
import { RpcError } from '../../api/rpc.ts'
import type { Instance } from '../../api/types.ts'
import { Dialog } from '../../components/dialog.tsx'
import {
  EMPTY_FORM,
  formOf,
  paramsOf,
  validateForm,
  type InstanceFormValues,
} from './instance-form-model.ts'

/** Props of {@link InstanceForm}. */
export interface InstanceFormProps {
  /** Absent: add a new instance. */
  instance?: Instance | undefined
  onDone: (saved: boolean) => void
}

/** Add or edit an instance; the password is write-only (never shown, kept unless replaced). */
export function InstanceForm({ instance, onDone }: InstanceFormProps) {
  const { call } = useConsole()
  const mode = instance === undefined ? 'add' : 'edit'
  const original = instance === undefined ? undefined : formOf(instance)
  const [values, setValues] = useState<InstanceFormValues>(original ?? EMPTY_FORM)
  const [touched, setTouched] = useState(false)
  const [serverError, setServerError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const errors = validateForm(values, mode)
  const shown = touched ? errors : {}
  const set = <K extends keyof InstanceFormValues>(key: K, value: InstanceFormValues[K]) =>
    setValues((old) => ({ ...old, [key]: value }))

  const submit = async (event: Event) => {
    event.preventDefault()
    setTouched(true)
    if (Object.keys(errors).length > 0) return
    setBusy(true)
    setServerError(undefined)
    try {
      const action = mode === 'add' ? 'AddRedisInstance' : 'ModifyRedisInstance'
      await call(action, paramsOf(values, original))
      onDone(true)
    } catch (error) {
      setServerError(error instanceof RpcError ? error.describe() : String(error))
      setBusy(false)
    }
  }

  const text = (key: 'instanceId' | 'username' | 'tlsServerName' | 'sentinelMasterName') => ({
    value: values[key],
    onInput: (event: Event) => set(key, (event.currentTarget as HTMLInputElement).value),
  })
  const check = (key: 'tls' | 'tlsSkipVerify' | 'skipCheck' | 'clearPassword') => ({
    type: 'checkbox' as const,
    checked: values[key],
    onChange: (event: Event) => set(key, (event.currentTarget as HTMLInputElement).checked),
  })

  return (
    <Dialog
      title={mode === 'add' ? 'Add instance' : `Edit ${values.instanceId}`}
      onClose={() => onDone(false)}
      testId="instance-form"
    >
      <form class="form-grid" onSubmit={(event) => void submit(event)} noValidate>
        {mode === 'add' && (
          <Field label="Instance id" error={shown.instanceId} hint="e.g. r-prod-cache">
            <input name="InstanceId" required autoFocus {...text('instanceId')} />
          </Field>
        )}
        <Field label="Topology" error={shown.topology}>
          <select
            name="Topology"
            value={values.topology}
            onChange={(event) =>
              set('topology', event.currentTarget.value as InstanceFormValues['topology'])
            }
          >
            {mode === 'add' && <option value="">detect (standalone or cluster)</option>}
            <option value="standalone">standalone (replicas discovered)</option>
            <option value="cluster">cluster (every node discovered)</option>
            <option value="sentinel">sentinel</option>
            <option value="nodes">nodes (explicit list, e.g. proxies)</option>
          </select>
        </Field>
        <Field
          label={values.topology === 'sentinel' ? 'Sentinel addresses' : 'Endpoints'}
          error={shown.endpoints}
          hint="host:port, [IPv6]:port or a unix socket path; one per line"
        >
          <textarea
            name="Endpoints"
            rows={3}
            value={values.endpoints}
            onInput={(event) => set('endpoints', event.currentTarget.value)}
          />
        </Field>
        {values.topology === 'sentinel' && (
          <Field label="Master name" error={shown.sentinelMasterName}>
            <input name="SentinelMasterName" {...text('sentinelMasterName')} />
          </Field>
        )}
        <Field label="ACL user name" hint="empty = default user">
          <input name="Username" autoComplete="off" {...text('username')} />
        </Field>
        <Field
          label="Password"
          hint={
            mode === 'edit'
              ? instance?.HasPassword === true
                ? 'set — leave empty to keep it'
                : 'none — type one to set it'
              : 'stored encrypted, never shown again'
          }
        >
          <input
            name="Password"
            type="password"
            autoComplete="new-password"
            value={values.password}
            disabled={values.clearPassword}
            onInput={(event) => set('password', event.currentTarget.value)}
          />
        </Field>
        {mode === 'edit' && instance?.HasPassword === true && (
          <label class="check">
            <input {...check('clearPassword')} /> Remove the stored password
          </label>
        )}
        <label class="check">
          <input name="Tls" {...check('tls')} /> TLS
        </label>
        {values.tls && (
          <>
            <Field label="TLS server name (SNI)" hint="empty = the endpoint host">
              <input name="TlsServerName" {...text('tlsServerName')} />
            </Field>
            <label class="check">
              <input {...check('tlsSkipVerify')} /> Skip certificate verification (insecure)
            </label>
          </>
        )}
        <Field label="Description" error={shown.description}>
          <input
            name="Description"
            maxLength={256}
            value={values.description}
            onInput={(event) => set('description', event.currentTarget.value)}
          />
        </Field>
        <label class="check">
          <input {...check('skipCheck')} /> Save without connecting first
        </label>
        {serverError !== undefined && (
          <p class="error" role="alert">
            {serverError}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={() => onDone(false)}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Checking and saving…' : mode === 'add' ? 'Add instance' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

function Field(props: {
  label: string
  error?: string | undefined
  hint?: string
  children: ComponentChildren
}) {
  return (
    <label class={props.error === undefined ? 'field' : 'field invalid'}>
      <span>{props.label}</span>
      {props.children}
      {props.error !== undefined ? (
        <small class="error">{props.error}</small>
      ) : (
        props.hint !== undefined && <small>{props.hint}</small>
      )}
    </label>
  )
}
