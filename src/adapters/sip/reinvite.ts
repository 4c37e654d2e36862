// Answering a re-INVITE within an answered call (RFC 3264 8.4): the peer's new offer may put us on
// hold (a=sendonly or a=inactive, or the RFC 2543 c=0.0.0.0) or take the hold off (sendrecv). The
// answer mirrors the direction (sendonly -> recvonly, recvonly -> sendonly, inactive stays) and
// keeps our origin line with its version raised, since our description changed.
import { mediaDirection, type MediaDirection } from './dialog-sdp.js';
import { readAudioOffer, writeAudioAnswer, type AudioOffer } from './sdp-audio.js';

/** Our side of the session description, as last sent. */
export interface LocalSdp {
  /** Our address in o= and c=. */
  host: string;
  sessionId: number;
  version: number;
}

/** What a re-INVITE offer means and how to answer it. */
export interface ReInviteAnswer {
  offer: AudioOffer;
  /** The peer stopped listening to us (hold). */
  held: boolean;
  /** Our SDP answer. */
  sdp: string;
  /** The local description after the answer (version raised). */
  local: LocalSdp;
}

const MIRROR: Record<MediaDirection, MediaDirection> = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
};

/** Reads host, session id and version from the o= line of an SDP we sent; undefined if absent. */
export function readLocalSdp(sdp: string): LocalSdp | undefined {
  const m = /^o=\S+ (\d+) (\d+) IN IP[46] (\S+)\s*$/m.exec(sdp);
  if (m === null) return undefined;
  return { sessionId: Number(m[1]), version: Number(m[2]), host: m[3]! };
}

/**
 * The answer to a re-INVITE's SDP offer on our RTP port, or why it cannot be answered.
 * @example answerReInvite(offerSdp, local, 20004) // { held: true, sdp: '…a=recvonly…', … }
 */
export function answerReInvite(
  offerSdp: string,
  local: LocalSdp,
  port: number,
): ReInviteAnswer | { error: string } {
  const offer = readAudioOffer(offerSdp);
  if ('error' in offer) return offer;
  const direction = mediaDirection(offerSdp);
  const held = direction === 'sendonly' || direction === 'inactive' || offer.address === '0.0.0.0';
  const next: LocalSdp = { ...local, version: local.version + 1 };
  const answer = writeAudioAnswer(local.host, port, offer, next.sessionId)
    .replace(/^(o=\S+ \d+ )\d+/m, `$1${next.version}`)
    .replace(/^a=sendrecv\r?$/m, `a=${MIRROR[direction]}\r`);
  return { offer, held, sdp: answer, local: next };
}
