import { invalid } from '../params.ts'

/** Most sessions one KillRedisSessions call may name. */
export const MAX_KILL_SESSIONS = 10_000

/** One session named by the caller: ids are per node, so a session is (NodeId, Id). */
export interface SessionRef {
  nodeId: string
  id: number
}

/**
 * Parses `Sessions`, a JSON array of `{"NodeId": string, "Id": integer ≥ 0}` (other keys are
 * ignored, so items of a GetRedisAllSession reply can be sent back as they are). Duplicates are
 * dropped. Throws `InvalidParams` naming the first problem and the item's index.
 */
export function parseSessionRefs(text: string): SessionRef[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message.slice(0, 120) : 'unreadable'
    invalid(`Sessions is not valid JSON (${reason})`)
  }
  if (!Array.isArray(parsed)) invalid('Sessions must be a JSON array of {"NodeId", "Id"}')
  const items: unknown[] = parsed
  if (items.length > MAX_KILL_SESSIONS) {
    invalid(`Sessions lists ${items.length} sessions; at most ${MAX_KILL_SESSIONS} per call`)
  }
  const seen = new Set<string>()
  const refs: SessionRef[] = []
  items.forEach((item, index) => {
    const ref = refOf(item, index)
    const key = `${ref.id} ${ref.nodeId}`
    if (seen.has(key)) return
    seen.add(key)
    refs.push(ref)
  })
  return refs
}

function refOf(item: unknown, index: number): SessionRef {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    invalid(`Sessions[${index}] must be an object {"NodeId", "Id"}`)
  }
  const nodeId: unknown = Reflect.get(item, 'NodeId')
  const id: unknown = Reflect.get(item, 'Id')
  if (typeof nodeId !== 'string' || nodeId === '' || nodeId.length > 256) {
    invalid(`Sessions[${index}].NodeId must be a non-empty string (at most 256 characters)`)
  }
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    invalid(`Sessions[${index}].Id must be an integer ≥ 0`)
  }
  return { nodeId, id }
}
