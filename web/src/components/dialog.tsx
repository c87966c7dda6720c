import type { ComponentChildren } from 'preact'
import { useEffect, useId, useRef } from 'preact/hooks'

/** Props of {@link Dialog}. */
export interface DialogProps {
  title: string
  onClose: () => void
  children: ComponentChildren
  wide?: boolean
  testId?: string
}

/**
 * A modal `<dialog>` opened with `showModal()`: the browser traps focus inside, Escape closes
 * it and focus returns to what opened it.
 */
export function Dialog(props: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const onClose = useRef(props.onClose)
  onClose.current = props.onClose
  useEffect(() => {
    const dialog = ref.current
    if (dialog === null) return
    const opener = document.activeElement
    if (!dialog.open) dialog.showModal()
    const closed = () => onClose.current()
    dialog.addEventListener('close', closed)
    return () => {
      dialog.removeEventListener('close', closed)
      if (dialog.open) dialog.close()
      if (opener instanceof HTMLElement) opener.focus()
    }
  }, [])
  return (
    <dialog
      ref={ref}
      class={props.wide === true ? 'wide' : undefined}
      aria-labelledby={titleId}
      data-testid={props.testId}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  )
}
