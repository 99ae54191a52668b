/**
 * Which addresses an outbound request must not reach: a webhook URL is typed
 * by a user, so without this guard it could read the cloud metadata service
 * (169.254.169.254), an admin port on localhost or a database in the private
 * network (server-side request forgery). Pure: no DNS, no sockets.
 */
import { BlockList, isIP } from 'node:net';

/** Named ranges, first match wins (broadcast before the reserved 240/4 that holds it). */
const RANGES: [name: string, cidrs: string[]][] = [
  ['unspecified', ['0.0.0.0/8', '::/128']],
  ['loopback', ['127.0.0.0/8', '::1/128']],
  // 64:ff9b:1::/48 is NAT64 for a local network only (RFC 8215); fec0::/10 the retired site-local range.
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fec0::/10', '64:ff9b:1::/48']],
  ['link-local', ['169.254.0.0/16', 'fe80::/10']],
  ['cgnat', ['100.64.0.0/10']],
  ['broadcast', ['255.255.255.255/32']],
  ['multicast', ['224.0.0.0/4', 'ff00::/8']],
  ['benchmarking', ['198.18.0.0/15', '2001:2::/48']],
  ['documentation', ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32', '3fff::/20']],
  // 2001::/23 holds Teredo, whose tunnels reach addresses we cannot see; 192.88.99/24 is the retired 6to4 relay.
  ['reserved', ['192.0.0.0/24', '192.88.99.0/24', '240.0.0.0/4', '2001::/23']],
];

/**
 * IPv6 forms that carry an IPv4 address reach that address: NAT64
 * (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::). IPv4-mapped addresses
 * (::ffff:a.b.c.d) need nothing: BlockList matches them to IPv4 rules.
 */
function embeddedForms(cidr: string): [string, number][] {
  const [address = '', bits = '32'] = cidr.split('/');
  if (isIP(address) !== 4) return [];
  const n = address.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const high = Math.floor(n / 65536).toString(16);
  const low = (n % 65536).toString(16);
  return [
    [`64:ff9b::${high}:${low}`, 96 + Number(bits)],
    [`2002:${high}:${low}::`, 16 + Number(bits)],
  ];
}

function blockListOf(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', bits] = cidr.split('/');
    const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    list.addSubnet(address, Number(bits), family);
    for (const [embedded, length] of embeddedForms(cidr)) list.addSubnet(embedded, length, 'ipv6');
  }
  return list;
}

const NAMED = RANGES.map(([name, cidrs]) => [name, blockListOf(cidrs)] as const);

/** IPv6 space in use on the internet: global unicast, plus the mapped and NAT64 forms whose IPv4 part was checked above. */
const PUBLIC_V6 = blockListOf(['2000::/3', '::ffff:0:0/96', '64:ff9b::/96']);

/** Brackets (a URL's [::1]) and a zone (fe80::1%eth0) are not part of the address. */
function bareAddress(ip: string): string {
  return ip.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
}

/**
 * The name of the non-public range that holds `ip` ('loopback', 'private',
 * 'link-local', 'cgnat', 'unspecified', 'multicast', 'broadcast',
 * 'benchmarking', 'documentation', 'reserved'), or undefined for a public
 * address. Anything that is not an IP address is 'invalid': refuse what we
 * cannot read.
 */
export function isPrivateAddress(ip: string): string | undefined {
  const address = bareAddress(ip);
  const family = isIP(address);
  if (family === 0) return 'invalid';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [name, list] of NAMED) if (list.check(address, type)) return name;
  if (family === 6 && !PUBLIC_V6.check(address, 'ipv6')) return 'reserved';
  return undefined;
}

/** Where an operator lets outbound requests reach private addresses (an in-house SMS gateway, a test receiver). */
export interface AllowList {
  /** Whether a request to `host` may connect to `ip` although the address is private. */
  allows(host: string, ip: string): boolean;
}

/** Lower case, no brackets, no trailing dot: how host names are compared. */
export function normalizeHost(host: string): string {
  return bareAddress(host.trim().toLowerCase()).replace(/\.$/, '');
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Adds one entry; false when it is neither a CIDR range, an IP address nor a host name. */
function addEntry(entry: string, addresses: BlockList, hosts: Set<string>): boolean {
  const [address = '', bits, extra] = normalizeHost(entry).split('/');
  const family = isIP(address);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (family !== 0 && bits === undefined) addresses.addAddress(address, type);
  else if (family !== 0 && extra === undefined && /^\d{1,3}$/.test(bits!) && Number(bits) <= (family === 4 ? 32 : 128))
    addresses.addSubnet(address, Number(bits), type);
  else if (bits === undefined && HOST_NAME.test(address)) hosts.add(address);
  else return false;
  return true;
}

/**
 * An allow-list of CIDR ranges (10.1.0.0/16), single addresses (127.0.0.1,
 * ::1) and host names (exact, case-insensitive: sms-gateway.internal). A host
 * name entry allows whatever addresses that name resolves to. Throws on an
 * entry it cannot read, naming it: a typo must not silently allow nothing.
 */
export function createAllowList(entries: string[]): AllowList {
  const addresses = new BlockList();
  const hosts = new Set<string>();
  const bad = entries.filter((entry) => !addEntry(entry, addresses, hosts));
  if (bad.length > 0) throw new Error(`Not a CIDR range, an IP address or a host name: ${bad.map((e) => JSON.stringify(e)).join(', ')}`);
  return {
    allows(host, ip) {
      if (hosts.has(normalizeHost(host))) return true;
      const address = bareAddress(ip);
      const family = isIP(address);
      return family !== 0 && addresses.check(address, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
