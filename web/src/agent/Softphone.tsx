import { fmt, useT } from '../i18n';
import { duration } from '../util';
import type { BrowserPhone } from './useBrowserPhone';
import { PhoneTroubleNotice } from './PhoneTroubleNotice';
import type { DeskItem } from './useAgentDesk';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/**
 * The softphone panel. On the browser phone it rings, answers, hangs up, mutes and sends digits;
 * on a SIP phone calls are answered on that phone and the panel only shows the call time.
 */
export function Softphone({
  item,
  now,
  phone,
}: {
  item: DeskItem | undefined;
  now: number;
  phone: BrowserPhone;
}) {
  const t = useT();
  const call = phone.call;
  const browser = phone.kind === 'browser';
  const since = item?.interaction?.acceptedAt;
  const timer =
    browser && call?.answeredAt
      ? duration(now - call.answeredAt)
      : since && item?.phase === 'active'
        ? duration(now - Date.parse(since))
        : '–:––';
  const inCall = browser && call !== null && call.phase !== 'ringing';
  return (
    <aside className="softphone" aria-label={t.phone.title}>
      <h2>{t.phone.title}</h2>
      <label className="inline">
        {t.phone.kind}
        <select
          value={phone.kind}
          onChange={(e) => void phone.choose(e.target.value as 'browser' | 'sip')}
          data-testid="phone-kind"
        >
          <option value="sip">{t.phone.kindSip}</option>
          <option value="browser">{t.phone.kindBrowser}</option>
        </select>
      </label>
      <PhoneTroubleNotice phone={phone} />
      {!browser && (
        <p className="note" id="softphone-note">
          {t.phone.sipNote}
        </p>
      )}
      {browser && call?.phase === 'ringing' && (
        <div className="ringing" role="alert" data-testid="incoming-call">
          <strong>{fmt(t.phone.incoming, { caller: call.caller })}</strong>
          <div className="controls">
            <button className="primary" onClick={() => void phone.answer()}>
              {t.phone.answer}
            </button>
            <button className="danger" onClick={phone.hangup}>
              {t.phone.decline}
            </button>
          </div>
        </div>
      )}
      {inCall && (
        <p data-testid="call-status">
          {call.phase === 'active' ? fmt(t.phone.connected, { caller: call.caller }) : t.phone.connecting}
        </p>
      )}
      <div className="timer">
        <span className="muted">{t.phone.timer}</span> <strong data-testid="call-timer">{timer}</strong>
        <span className="rec off" title={t.phone.recording}>
          ● {t.phone.recording}
        </span>
      </div>
      <div className="controls">
        <button className="danger" disabled={!inCall} onClick={phone.hangup}>
          {t.phone.hangup}
        </button>
        <button disabled={!inCall} aria-pressed={phone.muted} onClick={phone.toggleMute}>
          {phone.muted ? t.phone.unmute : t.phone.mute}
        </button>
      </div>
      <div className="keypad" role="group" aria-label={t.phone.keypad}>
        {KEYS.map((k) => (
          <button key={k} disabled={!inCall} onClick={() => phone.dtmf(k)}>
            {k}
          </button>
        ))}
      </div>
    </aside>
  );
}
