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

/**
 * What went wrong with the browser phone, for the panel: the microphone (refused, none, unplugged
 * mid-call), the connection mid-call (the caller hears hold music meanwhile), or a call that went
 * back to the queue because the connection did not come back in time.
 */
export type PhoneTrouble = 'micDenied' | 'micMissing' | 'micUnplugged' | 'connectionLost' | 'callRequeued';

type Signal =
  | {
      type: 'webrtc.offer';
      callId: string;
      sdp: string;
      caller: string;
      resume?: boolean;
      offerId?: string;
    }
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
  const [trouble, setTrouble] = useState<PhoneTrouble | null>(null);
  const [micReady, setMicReady] = useState(false);
  const [call, setCall] = useState<BrowserCall | null>(null);
  const [muted, setMuted] = useState(false);
  const mic = useRef<MediaStream | null>(null);
  const pc = useRef<RTCPeerConnection | null>(null);
  const offer = useRef<{ callId: string; sdp: string; offerId?: string } | null>(null);
  const stopRing = useRef<() => void>(() => undefined);
  const remoteAudio = useRef<HTMLAudioElement | null>(null);

  /** The microphone track, live (an unplugged device's track has ended). */
  const liveTrack = () => mic.current?.getAudioTracks().find((t) => t.readyState === 'live');
  const micLost = useRef<() => void>(() => undefined);

  const openMic = useCallback(async (): Promise<boolean> => {
    if (liveTrack()) return true;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      mic.current = stream;
      for (const track of stream.getAudioTracks()) {
        track.addEventListener('ended', () => micLost.current());
      }
      setMicError(null);
      setMicReady(true);
      setTrouble((t) => (t === 'micDenied' || t === 'micMissing' ? null : t));
      return true;
    } catch (err) {
      const name = err instanceof Error ? err.name : 'Error';
      mic.current = null;
      setMicError(name);
      setMicReady(false);
      // No device at all reads differently from a refused permission.
      setTrouble(name === 'NotFoundError' || name === 'OverconstrainedError' ? 'micMissing' : 'micDenied');
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
    heldForMic.current = false;
    setMuted(false);
    setCall(null);
    setTrouble((t) => (t === 'connectionLost' || t === 'micUnplugged' ? null : t));
  }, []);

  // While the microphone is unplugged mid-call the caller hears hold music (webrtc.hold).
  const heldForMic = useRef(false);
  micLost.current = () => {
    setMicReady(false);
    const id = pc.current ? offer.current?.callId : undefined;
    if (!id) {
      setTrouble('micMissing');
      return;
    }
    setTrouble('micUnplugged');
    if (!heldForMic.current) {
      heldForMic.current = true;
      events.send({ type: 'webrtc.hold', callId: id, held: true });
    }
  };

  /** A microphone is back (plugged in, or the agent retried): it replaces the ended one mid-call. */
  const retryMic = useCallback(async () => {
    if (!(await openMic())) return;
    const track = liveTrack();
    const peer = pc.current;
    const id = offer.current?.callId;
    if (!track || !peer || !id) return;
    const sender = peer.getSenders().find((x) => x.track === null || x.track.kind === 'audio');
    await sender?.replaceTrack(track);
    track.enabled = !muted;
    if (heldForMic.current) {
      heldForMic.current = false;
      events.send({ type: 'webrtc.hold', callId: id, held: false });
    }
    setTrouble((t) => (t === 'micUnplugged' ? null : t));
  }, [events, muted, openMic]);

  useEffect(() => {
    const md = navigator.mediaDevices;
    if (!md) return;
    const changed = () => {
      if (heldForMic.current || (kind === 'browser' && !liveTrack())) void retryMic();
    };
    md.addEventListener('devicechange', changed);
    return () => md.removeEventListener('devicechange', changed);
  }, [kind, retryMic]);

  useEffect(
    () =>
      events.subscribe((e) => {
        const s = e as unknown as Signal;
        if (s.type === 'webrtc.offer' && s.resume) {
          // A call this agent is on, offered again after the connection was lost: no ringing.
          if (offer.current?.sdp === s.sdp) return;
          if (offer.current && offer.current.callId !== s.callId) return;
          pc.current?.close();
          pc.current = null;
          offer.current = { callId: s.callId, sdp: s.sdp, offerId: s.offerId };
          setCall((c) =>
            c?.callId === s.callId
              ? { ...c, phase: 'connecting' }
              : { callId: s.callId, caller: s.caller, phase: 'connecting', answeredAt: Date.now() },
          );
          void answerRef.current(true);
          return;
        }
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
          const wasAnswered = pc.current !== null;
          endLocally();
          if (wasAnswered && (s.reason === 'connection_lost' || s.reason === 'gone'))
            setTrouble('callRequeued');
        }
      }),
    [events, endLocally],
  );

  // The event stream is how calls reach this page: when it drops mid-call the server holds the
  // caller; once it is back the page asks for its call again (and any the server kept for it).
  useEffect(() => {
    const resume = () => {
      const callId = pc.current ? offer.current?.callId : undefined;
      events.send(callId ? { type: 'webrtc.resume', callId } : { type: 'webrtc.resume' });
    };
    if (events.live) resume();
    return events.onStatus((live) => {
      if (live) resume();
      else if (pc.current) setTrouble('connectionLost');
    });
  }, [events]);

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

  const answer = useCallback(
    async (resume = false) => {
      const o = offer.current;
      if (!o || pc.current) return;
      stopRing.current();
      stopRing.current = () => undefined;
      if (!(await openMic()) || !mic.current) {
        if (resume) {
          // Back, but without a microphone: the caller stays on hold music until one is plugged in.
          setTrouble('micUnplugged');
        } else {
          events.send({ type: 'webrtc.reject', callId: o.callId });
          endLocally();
          return;
        }
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
        if (pc.current !== peer) return;
        if (peer.connectionState === 'connected') {
          setCall((c) => (c ? { ...c, phase: 'active', answeredAt: c.answeredAt ?? Date.now() } : c));
          setTrouble((t) => (t === 'connectionLost' ? null : t));
        } else if (peer.connectionState === 'failed' || peer.connectionState === 'disconnected') {
          setTrouble('connectionLost');
        }
      };
      try {
        await peer.setRemoteDescription({ type: 'offer', sdp: o.sdp });
        const stream = mic.current;
        const track = liveTrack();
        if (stream && track) {
          track.enabled = !muted;
          peer.addTrack(track, stream);
        } else {
          // No microphone now: send nothing until one is back (retryMic puts it on the sender).
          peer.addTransceiver('audio', { direction: 'sendrecv' });
          const callId = o.callId;
          if (resume && !heldForMic.current) {
            heldForMic.current = true;
            events.send({ type: 'webrtc.hold', callId, held: true });
          }
        }
        await peer.setLocalDescription(await peer.createAnswer());
        await gathered(peer);
        const sdp = peer.localDescription?.sdp ?? '';
        const answerMsg = { type: 'webrtc.answer', callId: o.callId, sdp, offerId: o.offerId };
        if (!events.send(answerMsg)) throw new Error('offline');
      } catch (err) {
        if (resume) {
          // The server offers it again when this page asks (reconnect) or the grace period ends it.
          pc.current = null;
          peer.close();
          setTrouble('connectionLost');
          return;
        }
        events.send({ type: 'webrtc.reject', callId: o.callId });
        endLocally();
        fail(err);
      }
    },
    [events, endLocally, fail, openMic, muted],
  );
  const answerRef = useRef(answer);
  answerRef.current = answer;

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

  return {
    kind,
    choose,
    micError,
    micReady,
    trouble,
    retryMic,
    call,
    muted,
    answer: () => answer(false),
    hangup,
    toggleMute,
    dtmf,
  };
}

export type BrowserPhone = ReturnType<typeof useBrowserPhone>;
