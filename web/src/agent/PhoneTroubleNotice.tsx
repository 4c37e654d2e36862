import { fmt, useT } from '../i18n';
import type { BrowserPhone } from './useBrowserPhone';

/**
 * What is wrong with the browser phone, in plain words, with the way out: no microphone (use the
 * SIP phone, or try again), a microphone unplugged mid-call (the caller hears hold music), the
 * connection lost mid-call (reconnecting; the caller hears hold music), or a call that went back
 * to the queue because the connection did not come back in time.
 */
export function PhoneTroubleNotice({ phone }: { phone: BrowserPhone }) {
  const t = useT();
  const m = t.softphoneTrouble;
  const trouble = phone.trouble;
  if (trouble === null) return null;
  if (trouble === 'micDenied' || trouble === 'micMissing') {
    return (
      <div className="error" role="alert" data-testid="mic-error">
        <p>
          {trouble === 'micDenied' ? fmt(t.phone.micDenied, { error: phone.micError ?? '' }) : m.micMissing}
        </p>
        <div className="controls">
          <button onClick={() => void phone.retryMic()}>{m.retryMic}</button>
          {phone.kind === 'browser' && <button onClick={() => void phone.choose('sip')}>{m.useSip}</button>}
        </div>
      </div>
    );
  }
  if (trouble === 'micUnplugged') {
    return (
      <div className="error" role="alert" data-testid="mic-unplugged">
        <p>{m.micUnplugged}</p>
        <button onClick={() => void phone.retryMic()}>{m.retryMic}</button>
      </div>
    );
  }
  return (
    <p className="error" role="alert" data-testid="connection-trouble">
      {trouble === 'connectionLost' ? m.connectionLost : m.callRequeued}
    </p>
  );
}
