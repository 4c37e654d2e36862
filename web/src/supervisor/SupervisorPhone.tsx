import { useApp } from '../context';
import { fmt, useT } from '../i18n';
import type { BrowserPhone } from '../agent/useBrowserPhone';

/**
 * The supervisor's own phone on the wallboard: listen, whisper and barge ring it. The browser
 * softphone rings here (answer in the page); a SIP phone rings on the desk. Without an agent
 * profile there is no phone to ring, and the panel says so.
 */
export function SupervisorPhone({ phone }: { phone: BrowserPhone }) {
  const t = useT();
  const { me } = useApp();
  if (!me.agentId) {
    return (
      <section className="card supphone" aria-label={t.wallboard.myPhone}>
        <p className="note" data-testid="supervisor-no-phone">
          {t.wallboard.noPhoneProfile}
        </p>
      </section>
    );
  }
  const call = phone.call;
  const browser = phone.kind === 'browser';
  return (
    <section className="card supphone" aria-label={t.wallboard.myPhone} data-testid="supervisor-phone">
      <label className="inline">
        {t.wallboard.myPhone}
        <select
          value={phone.kind}
          onChange={(e) => void phone.choose(e.target.value as 'browser' | 'sip')}
          data-testid="phone-kind"
        >
          <option value="sip">{t.phone.kindSip}</option>
          <option value="browser">{t.phone.kindBrowser}</option>
        </select>
      </label>
      <span className="muted small">{t.wallboard.myPhoneNote}</span>
      {phone.micError && (
        <p className="error" role="alert">
          {fmt(t.phone.micDenied, { error: phone.micError })}
        </p>
      )}
      {browser && call?.phase === 'ringing' && (
        <span className="ringing" role="alert" data-testid="incoming-call">
          <strong>{fmt(t.phone.incoming, { caller: call.caller })}</strong>{' '}
          <button className="primary" onClick={() => void phone.answer()}>
            {t.phone.answer}
          </button>{' '}
          <button className="danger" onClick={phone.hangup}>
            {t.phone.decline}
          </button>
        </span>
      )}
      {browser && call && call.phase !== 'ringing' && (
        <span data-testid="call-status">
          {call.phase === 'active' ? fmt(t.phone.connected, { caller: call.caller }) : t.phone.connecting}{' '}
          <button aria-pressed={phone.muted} onClick={phone.toggleMute}>
            {phone.muted ? t.phone.unmute : t.phone.mute}
          </button>{' '}
          <button className="danger" onClick={phone.hangup}>
            {t.phone.hangup}
          </button>
        </span>
      )}
    </section>
  );
}
