// The one SDP negotiation inbound calls need (RFC 3264): read the caller's audio offer (where to
// send RTP, which G.711 variant, the telephone-event payload type) and write our answer.
import type { VoiceCodec } from '../../services/calls/ports.js';

/** What an offer's first audio stream says. */
export interface AudioOffer {
  address: string;
  port: number;
  codec: VoiceCodec;
  payloadType: number;
  /** RFC 4733 payload type, when offered. */
  dtmfPayloadType: number | null;
}

const STATIC: Record<number, VoiceCodec> = { 0: 'pcmu', 8: 'pcma' };

/**
 * The audio stream of an SDP offer, or why it cannot be answered.
 * @example readAudioOffer(sdp) // { address: '192.0.2.1', port: 4000, codec: 'pcmu', payloadType: 0, dtmfPayloadType: 101 }
 */
export function readAudioOffer(sdp: string): AudioOffer | { error: string } {
  let sessionAddress: string | null = null;
  let mediaAddress: string | null = null;
  let media: { port: number; formats: number[] } | null = null;
  const rtpmap = new Map<number, string>();
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      if (media !== null) break; // only the first audio stream is answered in this slice
      const m = /^m=audio (\d+)(?:\/\d+)? RTP\/AVP((?: \d+)+)\s*$/.exec(line);
      if (m) media = { port: Number(m[1]), formats: m[2]!.trim().split(' ').map(Number) };
    } else if (line.startsWith('c=')) {
      const address = /^c=IN IP[46] (\S+)/.exec(line)?.[1] ?? null;
      if (media === null) sessionAddress = address;
      else mediaAddress = address;
    } else if (media !== null && line.startsWith('a=rtpmap:')) {
      const m = /^a=rtpmap:(\d+) ([^/\s]+)\/(\d+)/.exec(line);
      if (m) rtpmap.set(Number(m[1]), `${m[2]!.toLowerCase()}/${m[3]}`);
    }
  }
  const address = mediaAddress ?? sessionAddress;
  if (media === null || media.port === 0) return { error: 'no audio stream offered' };
  if (address === null) return { error: 'no connection address' };
  let chosen: { pt: number; codec: VoiceCodec } | null = null;
  for (const pt of media.formats) {
    const name = rtpmap.get(pt);
    const codec =
      name === 'pcmu/8000' ? 'pcmu' : name === 'pcma/8000' ? 'pcma' : name ? undefined : STATIC[pt];
    if (codec !== undefined) {
      chosen = { pt, codec };
      break;
    }
  }
  if (chosen === null) return { error: 'no common codec' };
  const dtmf = media.formats.find((pt) => rtpmap.get(pt) === 'telephone-event/8000');
  return {
    address,
    port: media.port,
    codec: chosen.codec,
    payloadType: chosen.pt,
    dtmfPayloadType: dtmf ?? null,
  };
}

/** Our answer: the chosen codec and telephone-event on our RTP port, 20 ms frames. */
export function writeAudioAnswer(
  address: string,
  port: number,
  offer: AudioOffer,
  sessionId: number,
): string {
  const ip = address.includes(':') ? 'IP6' : 'IP4';
  const name = offer.codec === 'pcmu' ? 'PCMU' : 'PCMA';
  const dtmf = offer.dtmfPayloadType;
  const lines = [
    'v=0',
    `o=hotline ${sessionId} ${sessionId} IN ${ip} ${address}`,
    's=Hotline',
    `c=IN ${ip} ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP ${offer.payloadType}${dtmf === null ? '' : ` ${dtmf}`}`,
    `a=rtpmap:${offer.payloadType} ${name}/8000`,
    ...(dtmf === null ? [] : [`a=rtpmap:${dtmf} telephone-event/8000`, `a=fmtp:${dtmf} 0-15`]),
    'a=ptime:20',
    'a=sendrecv',
  ];
  return lines.join('\r\n') + '\r\n';
}
