/**
 * The address bits of a session's `Client` (the `addr` of `CLIENT LIST` without its port), read
 * on every alias lookup; IPv4 is parsed by hand because it is the common case and ipaddr.js
 * would allocate an object and an array per call.
 */
import ipaddr from 'ipaddr.js'
import { isIpv4Mapped } from './parse-cidr.ts'

const DOT = 46
const ZERO = 48
const NINE = 57
const SLASH = 47

/**
 * Writes the address of `client` into `v4` (4 bytes) or `v6` (16 bytes) and says which, or
 * returns `undefined` when `client` is not an IP address: a unix socket path, `?` (the server
 * could not read the peer), `""`.
 *
 * - An IPv4-mapped IPv6 client (`::ffff:10.0.0.1`, what a dual-stack listener reports for an
 *   IPv4 peer) is read as IPv4, so IPv4 aliases apply to it.
 * - An IPv6 zone id (`fe80::1%eth0`) is ignored: aliases name addresses, not interfaces.
 * - IPv4 must be four-part decimal without leading zeros, the only form Redis prints.
 */
export function readClientAddress(
  client: string,
  v4: Uint8Array,
  v6: Uint8Array
): 'ipv4' | 'ipv6' | undefined {
  if (readIpv4(client, v4)) return 'ipv4'
  if (client.indexOf(':') === -1 || client.charCodeAt(0) === SLASH) return undefined
  const zone = client.indexOf('%')
  const text = zone === -1 ? client : client.slice(0, zone)
  let address: ipaddr.IPv6
  try {
    address = ipaddr.IPv6.parse(text)
  } catch {
    return undefined // a unix socket path with a ':' in it, or garbage: never an alias
  }
  const bytes = address.toByteArray()
  if (isIpv4Mapped(bytes)) {
    v4.set(bytes.slice(12))
    return 'ipv4'
  }
  v6.set(bytes)
  return 'ipv6'
}

/** Dotted-quad IPv4 into `out`; false (with `out` clobbered) when `text` is anything else. */
function readIpv4(text: string, out: Uint8Array): boolean {
  let part = 0
  let value = 0
  let digits = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= ZERO && code <= NINE) {
      if (digits === 1 && value === 0) return false // leading zero: `010` is octal to inet_aton
      value = value * 10 + (code - ZERO)
      if (value > 255) return false
      digits++
    } else if (code === DOT && digits > 0 && part < 3) {
      out[part++] = value
      value = 0
      digits = 0
    } else {
      return false
    }
  }
  if (digits === 0 || part !== 3) return false
  out[3] = value
  return true
}
