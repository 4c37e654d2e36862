// The SDP edit a re-INVITE for hold needs (RFC 3264 8.4): every media stream's direction set to
// sendonly (we hold: the peer may still hear music) or inactive, or back to sendrecv to resume,
// and the o= version raised, since the description changed.

/** SDP media directions. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const DIRECTION = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/;

/**
 * The SDP with the direction of every media section set, session-level directions removed, and
 * the origin's session version incremented.
 * @example const hold = withDirection(lastOffer, 'sendonly'); buildInDialogRequest(d, 'INVITE', { body: Buffer.from(hold) })
 */
export function withDirection(sdp: string, direction: MediaDirection): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const out: string[] = [];
  let inMedia = false;
  for (const line of lines) {
    if (DIRECTION.test(line)) continue;
    if (line.startsWith('o=')) {
      out.push(bumpVersion(line));
      continue;
    }
    if (line.startsWith('m=')) {
      if (inMedia) out.push(`a=${direction}`);
      inMedia = true;
    }
    out.push(line);
  }
  if (inMedia) out.push(`a=${direction}`);
  return out.join(eol) + eol;
}

/** The direction of the first media section (sendrecv when none is written, as RFC 4566 defaults). */
export function mediaDirection(sdp: string): MediaDirection {
  let session: MediaDirection | undefined;
  let inMedia = false;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      if (inMedia) break;
      inMedia = true;
    }
    const match = DIRECTION.exec(line);
    if (match?.[1] !== undefined) {
      if (inMedia) return match[1] as MediaDirection;
      session = match[1] as MediaDirection;
    }
  }
  return session ?? 'sendrecv';
}

function bumpVersion(origin: string): string {
  // o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>
  const parts = origin.slice(2).split(' ');
  const version = parts[2];
  if (parts.length !== 6 || version === undefined || !/^\d+$/.test(version)) return origin;
  parts[2] = (BigInt(version) + 1n).toString();
  return 'o=' + parts.join(' ');
}
