/** A TCP socket in the LISTEN state, from the kernel's own table (no tool of the lab involved). */
export interface ListeningSocket {
  family: 4 | 6;
  address: string;
  port: number;
  uid: number;
}

const LISTEN = '0A';

/** The kernel writes each 32-bit word of an address in host (little-endian) byte order. */
function wordBytes(hex: string): number[] {
  const bytes = hex.match(/../g)!.map((pair) => parseInt(pair, 16));
  return bytes.reverse();
}

function decodeAddress(hex: string, family: 4 | 6): string {
  if (family === 4) return wordBytes(hex).join('.');
  const bytes = hex.match(/.{8}/g)!.flatMap(wordBytes);
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  // The URL parser writes IPv6 addresses in their canonical short form (RFC 5952).
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/**
 * The listening sockets in `/proc/net/tcp`, a `---` line, then `/proc/net/tcp6` (the probe reads both
 * in the lab's network namespace). Lines that are not socket rows are skipped.
 */
export function parseListeningSockets(text: string): ListeningSocket[] {
  const [tcp4 = '', tcp6 = ''] = text.split(/^---$/m);
  const sockets: ListeningSocket[] = [];
  for (const [family, table] of [
    [4, tcp4],
    [6, tcp6],
  ] as const) {
    for (const line of table.split('\n')) {
      const fields = line.trim().split(/\s+/);
      if (!/^\d+:$/.test(fields[0] ?? '') || fields[3] !== LISTEN) continue;
      const [addressHex, portHex] = (fields[1] ?? '').split(':');
      if (!addressHex || !portHex) continue;
      sockets.push({
        family,
        address: decodeAddress(addressHex, family),
        port: parseInt(portHex, 16),
        uid: Number(fields[7]),
      });
    }
  }
  return sockets;
}

/** Whether a socket accepts connections on every address of the sandbox, or on loopback only. */
export function bindScope(socket: ListeningSocket): 'all' | 'loopback' | 'one' {
  if (socket.address === '0.0.0.0' || socket.address === '::') return 'all';
  if (socket.address.startsWith('127.') || socket.address === '::1') return 'loopback';
  return 'one';
}
