import type { ComponentChildren } from 'preact'
import { usePermission } from '../api/permissions.ts'

/** Props of {@link GuardedButton}. */
export interface GuardedButtonProps {
  /** RPC action the button calls: a known `NoPermission` blocks it, with the reason as tooltip. */
  action: string
  instanceId?: string | undefined
  onClick: () => void
  /** Another reason to block the button now (e.g. nothing selected). */
  blockedBecause?: string | undefined
  /** Tooltip when the button can be used. */
  title?: string | undefined
  danger?: boolean
  testId?: string
  children: ComponentChildren
}

/**
 * A button that knows whether the user may call its action. When blocked it stays focusable
 * (`aria-disabled`, not `disabled`) so keyboard and screen-reader users can still read why.
 */
export function GuardedButton(props: GuardedButtonProps) {
  const permission = usePermission(props.action, props.instanceId)
  const reason = permission.denied ? permission.reason : props.blockedBecause
  const blocked = reason !== undefined
  return (
    <button
      type="button"
      class={props.danger === true ? 'danger' : undefined}
      aria-disabled={blocked ? 'true' : undefined}
      data-denied={permission.denied ? 'true' : undefined}
      data-testid={props.testId}
      title={reason ?? props.title}
      onClick={() => {
        if (!blocked) props.onClick()
      }}
    >
      {props.children}
    </button>
  )
}
