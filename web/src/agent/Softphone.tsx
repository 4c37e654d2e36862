import { fmt, useT } from '../i18n';
import type { BrowserPhone } from './useBrowserPhone';
import { PhoneTroubleNotice } from './PhoneTroubleNotice';
import type { DeskItem } from './useAgentDesk';
import type { CallControls } from './useCallControls';
import { InCallPanel } from './InCallPanel';

/**
 * The softphone panel: the phone choice, the browser phone's ringing (answer with A), and the
 * in-call controls of the connected voice interaction (browser phone or SIP phone alike).
 */
export function Softphone({
  call: item,
  now,
  phone,
  controls,
  onHangup,
}: {
  /** The agent's connected (or connecting) voice interaction. */
  call: DeskItem | undefined;
  now: number;
  phone: BrowserPhone;
  controls: CallControls;
  onHangup: () => void;
}) {
  const t = useT();
  const call = phone.call;
  const browser = phone.kind === 'browser';
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
            <button className="primary" onClick={() => void phone.answer()} title={`${t.phone.answer} (A)`}>
              {t.phone.answer} <span className="kbd">A</span>
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
      <InCallPanel call={item} phone={phone} controls={controls} now={now} onHangup={onHangup} />
    </aside>
  );
}
