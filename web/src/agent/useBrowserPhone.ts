import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from '../context';

/** The phone the agent takes calls on for this login. */
export type PhoneKind = 'browser' | 'sip';

/** A call on the browser softphone. */
export interface BrowserCall {
  callId: string;
  caller: string;
  phase: 'ringing' | 'connecting' | 'active';
  /** When the call was answered (ms), for the timer. */
  answeredAt: number | null;
}

type Signal =
  | { type: 'webrtc.offer'; callId: string; sdp: string; caller: string }
  | { type: 'webrtc.hangup'; callId: string; reason: string };

const GATHER_MS = 2000;

/** Waits (bounded) until the answer carries the browser's ICE candidates. */
function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = window.setTimeout(resolve, GATHER_MS);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState !== 'complete') return;
      window.clearTimeout(timer);
      resolve();
    });
  });
}

/** A ring tone made in the page (two short beeps every 2 s) while a call rings. */
function startRingTone(): () => void {
  let audio: AudioContext;
  try {
    audio = new AudioContext();
  } catch {
    return () => undefined;
  }
  const beep = () => {
    for (const offset of [0, 0.4]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = 440;
      gain.gain.value = 0.1;
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + offset);
      osc.stop(audio.currentTime + offset + 0.3);
    }
  };
  beep();
  const timer = window.setInterval(beep, 2000);
  return () => {
    window.clearInterval(timer);
    void audio.close();
  };
}

/**
 * The browser softphone: the agent's phone choice (kept by the server for this login), the
 * microphone, and calls offered over the event stream (webrtc.offer) answered with WebRTC.
 */
export function useBrowserPhone() {
  const { api, events, fail } = useApp();
  const [kind, setKind] = useState<PhoneKind>('sip');
  const [micError, setMicError] = useState<string | null>(null);
  const [micReady, setMicReady] = useState(false);
  const [call, setCall] = useState<BrowserCall | null>(null);
  const [muted, setMuted] = useState(false);
  const mic = useRef<MediaStream | null>(null);
  const pc = useRef<RTCPeerConnection | null>(null);
  const offer = useRef<{ callId: string; sdp: string } | null>(null);
  const stopRing = useRef<() => void>(() => undefined);
  const remoteAudio = useRef<HTMLAudioElement | null>(null);

  const openMic = useCallback(async (): Promise<boolean> => {
    if (mic.current) return true;
    try {
      mic.current = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      setMicError(null);
      setMicReady(true);
      return true;
    } catch (err) {
      setMicError(err instanceof Error ? err.name : 'Error');
      setMicReady(false);
      return false;
    }
  }, []);

  useEffect(() => {
    api.get<{ kind: PhoneKind }>('/agents/me/phone').then(
      (r) => {
        setKind(r.kind);
        if (r.kind === 'browser') void openMic();
      },
      () => undefined,
    );
  }, [api, openMic]);

  const endLocally = useCallback(() => {
    stopRing.current();
    stopRing.current = () => undefined;
    pc.current?.close();
    pc.current = null;
    offer.current = null;
    setMuted(false);
    setCall(null);
  }, []);

  useEffect(
    () =>
      events.subscribe((e) => {
        const s = e as unknown as Signal;
        if (s.type === 'webrtc.offer') {
          if (offer.current || pc.current) {
            // Already on a call: this phone is busy.
            events.send({ type: 'webrtc.reject', callId: s.callId });
            return;
          }
          offer.current = { callId: s.callId, sdp: s.sdp };
          setCall({ callId: s.callId, caller: s.caller, phase: 'ringing', answeredAt: null });
          stopRing.current = startRingTone();
          events.send({ type: 'webrtc.ringing', callId: s.callId });
        } else if (s.type === 'webrtc.hangup' && offer.current?.callId === s.callId) {
          endLocally();
        }
      }),
    [events, endLocally],
  );

  useEffect(() => () => endLocally(), [endLocally]);

  const choose = useCallback(
    async (next: PhoneKind) => {
      if (next === 'browser' && !(await openMic())) {
        // Without a microphone the browser phone cannot take calls: stay on the SIP phone.
        await api.put('/agents/me/phone', { kind: 'sip' }).catch(() => undefined);
        setKind('sip');
        return;
      }
      try {
        const r = await api.put<{ kind: PhoneKind }>('/agents/me/phone', { kind: next });
        setKind(r.kind);
      } catch (err) {
        fail(err);
      }
    },
    [api, fail, openMic],
  );

  const answer = useCallback(async () => {
    const o = offer.current;
    if (!o || pc.current) return;
    stopRing.current();
    stopRing.current = () => undefined;
    if (!(await openMic()) || !mic.current) {
      events.send({ type: 'webrtc.reject', callId: o.callId });
      endLocally();
      return;
    }
    setCall((c) => (c ? { ...c, phase: 'connecting' } : c));
    const peer = new RTCPeerConnection();
    pc.current = peer;
    peer.ontrack = (ev) => {
      if (!remoteAudio.current) remoteAudio.current = new Audio();
      remoteAudio.current.srcObject = ev.streams[0] ?? new MediaStream([ev.track]);
      void remoteAudio.current.play().catch(() => undefined);
    };
    peer.onconnectionstatechange = () => {
      if (peer.connectionState === 'connected') {
        setCall((c) => (c ? { ...c, phase: 'active', answeredAt: c.answeredAt ?? Date.now() } : c));
      }
    };
    try {
      await peer.setRemoteDescription({ type: 'offer', sdp: o.sdp });
      for (const track of mic.current.getAudioTracks()) peer.addTrack(track, mic.current);
      await peer.setLocalDescription(await peer.createAnswer());
      await gathered(peer);
      const sdp = peer.localDescription?.sdp ?? '';
      if (!events.send({ type: 'webrtc.answer', callId: o.callId, sdp })) throw new Error('offline');
    } catch (err) {
      events.send({ type: 'webrtc.reject', callId: o.callId });
      endLocally();
      fail(err);
    }
  }, [events, endLocally, fail, openMic]);

  const hangup = useCallback(() => {
    const id = offer.current?.callId;
    if (id) events.send({ type: pc.current ? 'webrtc.hangup' : 'webrtc.reject', callId: id });
    endLocally();
  }, [events, endLocally]);

  const toggleMute = useCallback(() => {
    const next = !muted;
    for (const track of mic.current?.getAudioTracks() ?? []) track.enabled = !next;
    setMuted(next);
  }, [muted]);

  const dtmf = useCallback((digit: string) => {
    const sender = pc.current?.getSenders().find((s) => s.track?.kind === 'audio');
    sender?.dtmf?.insertDTMF(digit, 120, 70);
  }, []);

  return { kind, choose, micError, micReady, call, muted, answer, hangup, toggleMute, dtmf };
}

export type BrowserPhone = ReturnType<typeof useBrowserPhone>;
