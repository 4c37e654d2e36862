import { useT } from '../i18n';
import { duration } from '../util';
import type { DeskItem } from './useAgentDesk';

/**
 * The softphone panel's layout. Call control needs the WebRTC softphone (a later part of the web UI
 * issue); until then every control is disabled and says why — nothing here pretends to control a call.
 */
export function Softphone({ item, now }: { item: DeskItem | undefined; now: number }) {
  const t = useT();
  const since = item?.interaction?.acceptedAt;
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
  return (
    <aside className="softphone" aria-label={t.phone.title}>
      <h2>{t.phone.title}</h2>
      <p className="note" id="softphone-note">
        {t.phone.disabledNote}
      </p>
      <div className="timer">
        <span className="muted">{t.phone.timer}</span>{' '}
        <strong>{since && item?.phase === 'active' ? duration(now - Date.parse(since)) : '–:––'}</strong>
        <span className="rec off" title={t.phone.recording}>
          ● {t.phone.recording}
        </span>
      </div>
      <div className="controls">
        {[t.phone.mute, t.phone.hold, t.phone.transfer].map((label) => (
          <button key={label} disabled aria-describedby="softphone-note">
            {label}
          </button>
        ))}
      </div>
      <div className="keypad" role="group" aria-label={t.phone.keypad}>
        {keys.map((k) => (
          <button key={k} disabled aria-describedby="softphone-note">
            {k}
          </button>
        ))}
      </div>
    </aside>
  );
}
