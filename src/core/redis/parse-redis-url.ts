import { InvalidRedisUrlError } from '../errors.ts'
import type { ConnectionOptions } from './connection-options.ts'
import { parseEndpoint, type NodeAddress } from './node-address.ts'

/** What a redis URL says: where (one or more seeds) and how to connect. */
export interface RedisUrl {
  endpoints: NodeAddress[]
  connection: Omit<ConnectionOptions, 'connectTimeoutMs' | 'commandTimeoutMs'>
  /** The `/db` path or `?db=` (CLIENT LIST is server-wide, so it is informational). */
  db?: number
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//

/**
 * Parses `redis://[user[:password]@]host[:port][,host2[:port2]…][/db]`, `rediss://…` (TLS),
 * `redis://[::1]:6379`, `unix:///path/to.sock` and `redis+unix:///path` (optionally
 * `unix://[user[:password]@]/path?db=N`). User and password are percent-decoded; the
 * port defaults to 6379; several hosts are seeds (cluster, sentinel, nodes).
 * Only the `db` query parameter is accepted. Errors are {@link InvalidRedisUrlError}
 * and never contain the password (nor, to be safe, the URL's user-info part).
 */
export function parseRedisUrl(url: string): RedisUrl {
  const text = url.trim()
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase()
  if (scheme === undefined) {
    throw new InvalidRedisUrlError('not a URL: expected redis://, rediss:// or unix://')
  }
  const rest = text.slice(scheme.length + 3)
  // User-info ends at the last `@`: hosts, paths and `?db=` never hold one, while a
  // password may hold an unencoded `@`, `/`, `?` or `,`.
  const at = rest.lastIndexOf('@')
  const credentials = parseUserInfo(at < 0 ? undefined : rest.slice(0, at))
  const afterUserInfo = at < 0 ? rest : rest.slice(at + 1)
  const queryAt = afterUserInfo.indexOf('?')
  const location = queryAt < 0 ? afterUserInfo : afterUserInfo.slice(0, queryAt)
  const queryDb = parseQuery(queryAt < 0 ? '' : afterUserInfo.slice(queryAt + 1))

  switch (scheme) {
    case 'redis':
    case 'rediss': {
      const slash = location.indexOf('/')
      const hosts = slash < 0 ? location : location.slice(0, slash)
      const pathDb = parseDb(slash < 0 ? '' : location.slice(slash + 1))
      const endpoints = hosts.split(',').map((host) => parseHost(host))
      const db = pathDb ?? queryDb
      return {
        endpoints,
        connection: { ...credentials, ...(scheme === 'rediss' ? { tls: {} } : {}) },
        ...(db === undefined ? {} : { db }),
      }
    }
    case 'unix':
    case 'redis+unix': {
      const path = decode(location, 'socket path')
      if (!path.startsWith('/')) {
        throw new InvalidRedisUrlError(
          'unix socket URL needs an absolute path: unix:///path/to.sock'
        )
      }
      return {
        endpoints: [{ kind: 'unix', path }],
        connection: credentials,
        ...(queryDb === undefined ? {} : { db: queryDb }),
      }
    }
    default:
      throw new InvalidRedisUrlError(
        `unsupported scheme '${scheme}': expected redis://, rediss:// or unix://`
      )
  }
}

function parseHost(text: string): NodeAddress {
  if (text === '') throw new InvalidRedisUrlError('redis URL has an empty host')
  const address = parseEndpoint(text)
  if (address.kind === 'unix') throw new InvalidRedisUrlError('redis URL has an empty host')
  return address
}

function parseUserInfo(userInfo: string | undefined): { username?: string; password?: string } {
  if (userInfo === undefined) return {}
  const colon = userInfo.indexOf(':')
  const user = decode(colon < 0 ? userInfo : userInfo.slice(0, colon), 'user name')
  const password = colon < 0 ? undefined : decode(userInfo.slice(colon + 1), 'password')
  return {
    ...(user === '' ? {} : { username: user }),
    ...(password === undefined || password === '' ? {} : { password }),
  }
}

function parseDb(text: string): number | undefined {
  if (text === '') return undefined
  if (!/^\d{1,5}$/.test(text)) {
    throw new InvalidRedisUrlError('redis URL path must be a database number, e.g. /0')
  }
  return Number(text)
}

function parseQuery(query: string): number | undefined {
  if (query === '') return undefined
  let db: number | undefined
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=')
    const key = eq < 0 ? pair : pair.slice(0, eq)
    if (key !== 'db') {
      throw new InvalidRedisUrlError(
        `unsupported redis URL parameter '${key.slice(0, 40)}': only db is accepted`
      )
    }
    db = parseDb(eq < 0 ? '' : pair.slice(eq + 1))
  }
  return db
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    // Do not echo the text: it may be the password.
    throw new InvalidRedisUrlError(`redis URL ${what} has invalid percent-encoding`)
  }
}
