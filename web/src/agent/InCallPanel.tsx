import { useState } from 'react';
import { fmt, useT } from '../i18n';
import { duration } from '../util';
import type { BrowserPhone } from './useBrowserPhone';
import type { DeskItem } from './useAgentDesk';
import type { CallControls } from './useCallControls';
import { TransferDialog } from './TransferDialog';
import { ConsultControls } from './ConsultControls';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/**
 * The controls of the connected voice call, whichever phone the agent uses: timer, hang up, mute
 * (browser phone: the microphone track is disabled), hold/resume, keypad (browser phone: RFC 4733
 * from the page; SIP phone: POST …/dtmf), blind transfer, the recording indicator with pause for
 * card capture. Keys: H hang up, M mute, O hold.
 */
export function InCallPanel(props: {
  call: DeskItem | undefined;
  phone: BrowserPhone;
  controls: CallControls;
  now: number;
  onHangup: () => void;
}) {
  const { call, phone, controls, now } = props;
  const t = useT();
  const [transferring, setTransferring] = useState(false);
  const browser = phone.kind === 'browser';
  const browserCall = browser && phone.call !== null && phone.call.phase !== 'ringing';
  // On the browser phone the call is live once WebRTC connects; on a SIP phone once the item is active.
  const live = call !== undefined && (browser ? browserCall : call.phase === 'active');
  const since = browser ? phone.call?.answeredAt : call?.interaction?.acceptedAt;
  const started = typeof since === 'string' ? Date.parse(since) : (since ?? null);
  const timer = live && started !== null ? duration(now - started) : '–:––';
  const { hold, rec } = controls;

  return (
    <section className="incall" aria-label={t.call.title} data-testid="in-call">
      <div className="timer">
        <span className="muted">{t.phone.timer}</span> <strong data-testid="call-timer">{timer}</strong>
        {live && hold.held && (
          <span className="mark hold" data-testid="hold-badge">
            {t.call.onHold}
          </span>
        )}
      </div>
      <div
        className={`rec ${!live || !rec.recording ? 'off' : rec.paused ? 'paused' : 'on'}`}
        data-testid="recording-state"
        role="status"
      >
        ●{' '}
        {!live || !rec.recording
          ? t.call.notRecording
          : rec.paused
            ? t.call.recordingPaused
            : t.phone.recording}
        {live && rec.recording && (
          <button
            className="small"
            onClick={controls.toggleRecordingPause}
            disabled={controls.busy}
            title={t.call.pauseRecordingHint}
          >
            {rec.paused ? t.call.resumeRecording : t.call.pauseRecording}
          </button>
        )}
      </div>
      {live && hold.heldBy.includes('caller') && <p className="muted small">{t.call.callerHolds}</p>}
      <div className="controls">
        <button className="danger" disabled={!live} onClick={props.onHangup} title={`${t.phone.hangup} (H)`}>
          {t.phone.hangup} <span className="kbd">H</span>
        </button>
        <button
          disabled={!live || !browser}
          aria-pressed={phone.muted}
          onClick={phone.toggleMute}
          title={browser ? `${t.phone.mute} (M)` : t.call.muteOnPhone}
        >
          {phone.muted ? t.phone.unmute : t.phone.mute} <span className="kbd">M</span>
        </button>
        <button
          disabled={!live || controls.busy}
          aria-pressed={hold.held}
          onClick={controls.toggleHold}
          title={`${t.phone.hold} (O)`}
        >
          {hold.held ? t.call.resume : t.phone.hold} <span className="kbd">O</span>
        </button>
        <button disabled={!live} onClick={() => setTransferring((x) => !x)} aria-expanded={transferring}>
          {t.phone.transfer}
        </button>
      </div>
      {phone.muted && live && <p className="muted small">{t.call.mutedNote}</p>}
      {live && transferring && (
        <TransferDialog
          onTransfer={controls.transfer}
          onConsult={controls.consult}
          onClose={() => setTransferring(false)}
        />
      )}
      {live && call && <ConsultControls interactionId={call.interactionId} />}
      <div className="keypad" role="group" aria-label={t.phone.keypad}>
        {KEYS.map((k) => (
          <button
            key={k}
            disabled={!live}
            onClick={() => (browser ? phone.dtmf(k) : controls.sendDigits(k))}
            title={fmt(t.call.sendDigit, { digit: k })}
          >
            {k}
          </button>
        ))}
      </div>
    </section>
  );
}
