import { useT } from '../i18n';
import type { ReasonCode } from '../types';

/** A supervisor puts an agent not ready with a chosen reason code (or none). */
export function ForceNotReady(props: {
  reasons: ReasonCode[];
  disabled: boolean;
  onForce: (reason: string | null) => void;
}) {
  const t = useT();
  return (
    <select
      aria-label={t.wallboard.forceNotReady}
      value=""
      disabled={props.disabled}
      onChange={(e) => {
        if (e.target.value) props.onForce(e.target.value === '-' ? null : e.target.value);
      }}
    >
      <option value="">{t.wallboard.notReadyWith}</option>
      <option value="-">{t.wallboard.noReason}</option>
      {props.reasons.map((r) => (
        <option key={r.id} value={r.code}>
          {r.label}
        </option>
      ))}
    </select>
  );
}
