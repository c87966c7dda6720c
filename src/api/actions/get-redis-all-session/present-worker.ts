import { parentPort } from 'node:worker_threads'
import { ClientListTable } from '../../../core/sessions/client-list-table.ts'
import { JsonBytesWriter } from '../../json/json-bytes-writer.ts'
import type { WorkerReply, WorkerRequest } from './present-pool.ts'
import { writeTableRows } from './write-session.ts'

/** Larger than Buffer's 8 KiB pool: an ArrayBuffer of this size is the writer's own to transfer. */
const TRANSFERABLE_BYTES = 64 * 1024

// The presenter's worker thread (present-pool.ts): writes the rows it is sent with the very
// writers the main thread uses, over the rows' shared memory, and hands the bytes back.
parentPort?.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply
  let transfer: ArrayBuffer[] = []
  try {
    const bytes = writeSegments(request)
    const own = bytes.buffer.byteLength >= TRANSFERABLE_BYTES && bytes.buffer instanceof ArrayBuffer
    if (own) transfer = [bytes.buffer]
    reply = { id: request.id, bytes: own ? bytes : new Uint8Array(bytes) }
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) }
  }
  parentPort?.postMessage(reply, transfer)
})

function writeSegments({ segments, leadingComma }: WorkerRequest): Buffer {
  let estimate = 1024
  for (const { rows, order } of segments) {
    estimate += Math.ceil((rows.bytes.length * 1.6 * order.length) / Math.max(rows.count, 1))
  }
  const w = new JsonBytesWriter(estimate)
  let first = !leadingComma
  for (const segment of segments) {
    const table = ClientListTable.fromShared(segment.node, segment.rows, segment.order)
    const aliases = segment.aliases.map((alias) => Buffer.from(alias, 'utf8'))
    const aliasOfRow = (i: number) => aliases[segment.aliasIndex[i] ?? 0] ?? Buffer.from('""')
    writeTableRows(w, table, 0, table.length, Buffer.from(segment.nodeIdJson), aliasOfRow, first)
    first = false
  }
  return w.toBuffer()
}
