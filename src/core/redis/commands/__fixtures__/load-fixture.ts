import { readFileSync } from 'node:fs'

/** A captured reply (JSON of what ioredis returned over RESP2), untyped on purpose. */
export function loadFixture(name: string): unknown {
  const parsed: unknown = JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8'))
  return parsed
}
