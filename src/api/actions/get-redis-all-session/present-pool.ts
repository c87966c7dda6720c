import { Worker } from 'node:worker_threads'
import type { SharedClientListRows } from '../../../core/sessions/client-list-table.ts'

/** Rows of one node for the worker: shared memory, plus each row's `ClientDesc` JSON. */
export interface WorkerSegment {
  node: string
  nodeIdJson: string
  rows: SharedClientListRows
  /** Physical rows to write, in order. */
  order: Int32Array
  /** Distinct `ClientDesc` values as JSON text; `aliasIndex[k]` is the one of the k-th row. */
  aliases: string[]
  aliasIndex: Int32Array
}

/** A message to the worker: write these rows, each after a `,` when `leadingComma`. */
export interface WorkerRequest {
  id: number
  segments: WorkerSegment[]
  leadingComma: boolean
}

/** The worker's answer: the rows as JSON bytes, or why not. */
export type WorkerReply = { id: number; bytes: Uint8Array } | { id: number; error: string }

// Built, the worker is the .js beside this module. Run from source (tests, under tsx), it is
// the .ts, and a worker thread does not inherit tsx's loader: it registers it first.
const FROM_SOURCE = import.meta.url.endsWith('.ts')
const WORKER_URL = new URL(`./present-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url)

function newWorker(): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL)
  const bootstrap = `import('tsx/esm/api').then(({ register }) => {
    register()
    return import(${JSON.stringify(WORKER_URL.href)})
  })`
  return new Worker(bootstrap, { eval: true })
}

interface Pending {
  resolve(bytes: Buffer): void
  reject(error: Error): void
}

let current: { worker: Worker; pending: Map<number, Pending> } | undefined
let nextId = 0
const stats = { written: 0, failed: 0 }

/** Requests the worker answered with rows, and requests it failed (for tests and logs). */
export function presentWorkerStats(): Readonly<typeof stats> {
  return { ...stats }
}

/**
 * Writes the segments' rows on the presenter's worker thread (started on first use, one per
 * process) and resolves with their JSON bytes. Rejects when the worker fails or exits; the
 * next call starts a new one. The worker keeps the process alive only while it has work.
 */
export function writeRowsInWorker(
  segments: WorkerSegment[],
  leadingComma: boolean
): Promise<Buffer> {
  const { worker, pending } = (current ??= startWorker())
  const id = nextId++
  return new Promise<Buffer>((resolve, reject) => {
    if (pending.size === 0) worker.ref()
    pending.set(id, { resolve, reject })
    worker.postMessage({ id, segments, leadingComma } satisfies WorkerRequest)
  })
}

function startWorker(): { worker: Worker; pending: Map<number, Pending> } {
  const worker = newWorker()
  const pending = new Map<number, Pending>()
  const started = { worker, pending }
  worker.unref()
  worker.on('message', (reply: WorkerReply) => {
    const waiting = pending.get(reply.id)
    if (waiting === undefined) return
    pending.delete(reply.id)
    if (pending.size === 0) worker.unref()
    if ('error' in reply) {
      stats.failed++
      waiting.reject(new Error(reply.error))
    } else {
      stats.written++
      waiting.resolve(Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.length))
    }
  })
  const fail = (error: Error) => {
    if (current === started) current = undefined
    stats.failed += pending.size
    for (const waiting of pending.values()) waiting.reject(error)
    pending.clear()
  }
  worker.on('error', fail)
  worker.on('exit', (code) => fail(new Error(`the presenter's worker exited with code ${code}`)))
  return started
}
