import type { CoreError } from '../errors.ts'
import type { ClientSession } from '../sessions/client-session.ts'
import type { RedisNode } from '../topology/topology.ts'

/** The result of asking one node: its sessions, or why not (docs/style.md §5). */
export type NodeOutcome =
  | { ok: true; node: RedisNode; sessions: ClientSession[]; tookMs: number }
  | { ok: false; node: RedisNode; error: CoreError; tookMs: number }
