import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which URLs a webhook may be sent to. A brand's endpoint URL is attacker-chosen, so the server must
 * not become a proxy into its own network (SSRF): public https only; loopback and private networks
 * only when the operator turns `allowPrivate` on (a receiver on the same host or LAN); link-local,
 * cloud metadata and other special ranges never.
 */
export type TargetRefusal =
  'not_https' | 'private_address' | 'forbidden_address' | 'unresolvable' | 'invalid_url' | 'credentials_in_url';

export class WebhookTargetRefused extends Error {
  constructor(
    readonly reason: TargetRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

type AddressClass = 'ok' | 'private_address' | 'forbidden_address';

const MAX_URL_LENGTH = 2048;

// Cloud metadata services that sit inside ranges otherwise only "private": AWS Nitro's IPv6 IMDS, DNS
// and NTP (fd00:ec2::254, ::253, ::123) and Alibaba Cloud's 100.100.100.200. 169.254.169.254 (AWS,
// GCP, Azure) and Oracle's 192.0.0.192 fall in link-local and reserved ranges, refused anyway.
const METADATA_RANGES = [ipaddr.parseCIDR('fd00:ec2::/64'), ipaddr.parseCIDR('100.100.100.200/32')];
// The only IPv6 space allocated for global unicast; anything else ipaddr.js calls 'unicast' is unassigned.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const WELL_KNOWN_NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

const PRIVATE_V4 = new Set<string>(['private', 'loopback', 'carrierGradeNat']);
const PRIVATE_V6 = new Set<string>(['loopback', 'uniqueLocal']);

/** Pure: is this one address allowed? Anything that is not a plain IP address is forbidden. */
export function classifyAddress(address: string, allowPrivate: boolean): AddressClass {
  const found = addressClass(address);
  return found === 'private_address' && allowPrivate ? 'ok' : found;
}

function addressClass(address: string): AddressClass {
  // net.isIP accepts only the forms a socket connects to (no "127.1" or "0x7f.0.0.1" shorthand).
  const family = net.isIP(address);
  if (family === 0 || address.includes('%')) return 'forbidden_address'; // a zone id: link-local
  const ip = ipaddr.parse(family === 6 ? canonicalIpv6(address) : address);
  if (METADATA_RANGES.some((range) => ip.kind() === range[0].kind() && ip.match(range))) {
    return 'forbidden_address';
  }
  if (ip.kind() === 'ipv4') return ipv4Class(ip as ipaddr.IPv4);
  return ipv6Class(ip as ipaddr.IPv6);
}

/**
 * ipaddr.js reads a dotted tail as IPv4-mapped whatever precedes it ("::127.0.0.1" becomes
 * ::ffff:7f00:1), so the address is first rewritten in pure hex by the WHATWG URL parser.
 */
function canonicalIpv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

function ipv4Class(ip: ipaddr.IPv4): AddressClass {
  const range = ip.range();
  if (range === 'unicast') return 'ok';
  // Carrier-grade NAT space counts as private: overlay networks (Tailscale) hand out addresses there.
  if (PRIVATE_V4.has(range)) return 'private_address';
  return 'forbidden_address'; // unspecified 0/8, broadcast, multicast, link-local, reserved, ...
}

function ipv6Class(ip: ipaddr.IPv6): AddressClass {
  const range = ip.range();
  const embedded = embeddedIpv4(ip, range);
  if (embedded) return addressClass(embedded.toString());
  if (PRIVATE_V6.has(range)) return 'private_address';
  if (range === 'unicast' && ip.match(GLOBAL_UNICAST_V6)) return 'ok';
  // Unspecified, link-local fe80::/10, multicast, site-local, Teredo (its IPv4 is obfuscated), the
  // local-use NAT64 prefix, ::/96 IPv4-compatible forms, documentation, unallocated space, ...
  return 'forbidden_address';
}

/** The IPv4 address an IPv6 form stands for, when the translation is fixed: mapped, SIIT, NAT64, 6to4. */
function embeddedIpv4(ip: ipaddr.IPv6, range: string): ipaddr.IPv4 | null {
  const bytes = ip.toByteArray();
  const wellKnownNat64 = range === 'rfc6052' && ip.match(WELL_KNOWN_NAT64);
  if (range === 'ipv4Mapped' || range === 'rfc6145' || wellKnownNat64) {
    return new ipaddr.IPv4(bytes.slice(12, 16));
  }
  if (range === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return null;
}

/**
 * Why this set of addresses (all those the host name has) may not receive a webhook, or null.
 * Plain http is allowed only when private targets are, and only to private addresses: it exists
 * for a receiver on the same host or LAN, never for the internet.
 */
export function refusalForAddresses(
  addresses: readonly string[],
  protocol: 'http:' | 'https:',
  allowPrivate: boolean,
): TargetRefusal | null {
  if (addresses.length === 0) return 'unresolvable';
  const classes = addresses.map((address) => addressClass(address));
  if (classes.includes('forbidden_address')) return 'forbidden_address';
  if (classes.includes('private_address') && !allowPrivate) return 'private_address';
  if (protocol === 'http:' && classes.includes('ok')) return 'not_https';
  return null;
}

export interface WebhookUrl {
  url: URL;
  protocol: 'http:' | 'https:';
  /** The host without IPv6 brackets. */
  host: string;
  /** The address when the host is an IP literal: no lookup happens for it, so it is checked up front. */
  literalAddress: string | null;
}

/** Syntax, scheme and credential checks that need no DNS; the address rules come after resolution. */
export function parseWebhookUrl(raw: string, allowPrivate: boolean): WebhookUrl {
  if (raw.length > MAX_URL_LENGTH || !URL.canParse(raw)) {
    throw refusalError('invalid_url');
  }
  const url = new URL(raw);
  const protocol = url.protocol;
  // Any other scheme (ftp:, file:, ...) is refused as not_https; http: waits for the addresses.
  if (protocol !== 'https:' && (protocol !== 'http:' || !allowPrivate)) throw refusalError('not_https');
  if (url.username !== '' || url.password !== '') throw refusalError('credentials_in_url');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw refusalError('invalid_url');
  return { url, protocol, host, literalAddress: net.isIP(host) === 0 ? null : host };
}

export function refusalError(reason: TargetRefusal): WebhookTargetRefused {
  const messages: Record<TargetRefusal, string> = {
    not_https: 'the webhook URL must use https',
    private_address: 'the webhook host resolves to a loopback or private address',
    forbidden_address: 'the webhook host resolves to a link-local, metadata or reserved address',
    unresolvable: 'the webhook host name does not resolve',
    invalid_url: 'the webhook URL is not a valid absolute URL',
    credentials_in_url: 'the webhook URL must not contain a user name or password',
  };
  return new WebhookTargetRefused(reason, messages[reason]);
}

async function lookupAll(host: string): Promise<string[]> {
  // dns.lookup, not dns.resolve: it reads /etc/hosts like the socket's own lookup does.
  const found = await dns.promises.lookup(host, { all: true });
  return found.map((entry) => entry.address);
}

/**
 * Syntax + scheme check + DNS resolution of every address of the host; throws WebhookTargetRefused.
 * Used when an endpoint is created or its URL changed. Delivery checks again at connect time
 * (sendWebhook), since the name may point elsewhere by then.
 */
export async function checkWebhookTarget(
  url: string,
  options: { allowPrivate: boolean; resolve?: (host: string) => Promise<string[]> },
): Promise<URL> {
  const target = parseWebhookUrl(url, options.allowPrivate);
  let addresses: string[];
  if (target.literalAddress !== null) {
    addresses = [target.literalAddress];
  } else {
    try {
      addresses = await (options.resolve ?? lookupAll)(target.host);
    } catch {
      throw refusalError('unresolvable');
    }
  }
  const refusal = refusalForAddresses(addresses, target.protocol, options.allowPrivate);
  if (refusal) throw refusalError(refusal);
  return target.url;
}
