import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { MediaChannel } from '../../services/calls/ports.js';
import type { SipEndpoint } from './endpoint.js';
import type { SipTarget } from './transport.js';

// Outgoing INVITEs (to agents' phones and through trunks) share how they name our address and
// what they offer.

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** Our address as `target` reaches it: the bound one, or the route's source address. */
export async function localHostToward(endpoint: SipEndpoint, target: SipTarget): Promise<string> {
  const bound = endpoint.local(target.protocol).address;
  if (!WILDCARD.has(bound)) return bound;
  const socket = createSocket(target.address.includes(':') ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(target.port, target.address, resolve);
    });
    return socket.address().address;
  } catch {
    return '127.0.0.1';
  } finally {
    socket.close();
  }
}

/** Our offer: PCMU, PCMA and telephone-event on the channel's port, 20 ms frames. */
export function offerSdp(host: string, media: MediaChannel): string {
  const ip = host.includes(':') ? 'IP6' : 'IP4';
  const session = randomInt(1, 2 ** 31);
  return (
    [
      'v=0',
      `o=hotline ${session} ${session} IN ${ip} ${host}`,
      's=Hotline',
      `c=IN ${ip} ${host}`,
      't=0 0',
      `m=audio ${media.localPort} RTP/AVP 0 8 101`,
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-15',
      'a=ptime:20',
      'a=sendrecv',
    ].join('\r\n') + '\r\n'
  );
}
