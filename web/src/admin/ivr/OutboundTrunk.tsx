import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api';
import { useApp } from '../../context';
import { useT } from '../../i18n';

/** GET /outbound-trunk: which trunk carries calls out, and why. */
export interface OutboundState {
  inForce: string | null;
  source: 'console' | 'config' | 'first' | null;
  chosen: string | null;
  configured: string | null;
  problem: string | null;
}

/**
 * Which trunk carries calls out: the one in force and why, and the admin's choice among the trunks
 * with an outbound proxy (console or configuration ones). The rule shown is the server's: the
 * console's choice wins over voice.outboundTrunk; "as the configuration file says" clears it.
 */
export function OutboundTrunk(props: { candidates: string[]; version: number; onChange: () => void }) {
  const t = useT();
  const { api, fail } = useApp();
  const [state, setState] = useState<OutboundState | null>(null);
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    api.get<OutboundState>('/outbound-trunk').then((s) => {
      setState(s);
      setChoice(s.chosen ?? '');
    }, fail);
  }, [api, fail]);
  // Reloaded after every trunk change too: an edit or a deletion can change the trunk in force.
  useEffect(() => load(), [load, props.version]);

  const apply = () => {
    setError(null);
    setBusy(true);
    api
      .put<OutboundState>('/outbound-trunk', { trunk: choice === '' ? null : choice })
      .then(
        (s) => {
          setState(s);
          setChoice(s.chosen ?? '');
          props.onChange();
        },
        (err: unknown) => {
          if (err instanceof ApiError && err.details?.path === '/trunk') {
            setError(`${t.errors[err.code] ?? t.errors.UNKNOWN} (${err.message})`);
          } else fail(err);
        },
      )
      .finally(() => setBusy(false));
  };
  if (state === null) return null;
  // The stored choice stays listed even if it lost its proxy, so the select shows the truth.
  const options = [...new Set([...props.candidates, ...(state.chosen ? [state.chosen] : [])])];
  return (
    <section className="card" aria-label={t.trunks.outboundTitle}>
      <h4>{t.trunks.outboundTitle}</h4>
      <p data-testid="outbound-in-force">
        {state.inForce === null ? (
          t.trunks.outboundNone
        ) : (
          <>
            <strong>{t.trunks.outboundInForce.replace('{name}', state.inForce)}</strong>
            {state.source && ` — ${t.trunks.outboundSource[state.source] ?? state.source}`}
          </>
        )}
      </p>
      {state.problem && (
        <p className="warn" role="status">
          {state.problem}
        </p>
      )}
      {state.configured !== null && (
        <p className="note">{t.trunks.outboundRule.replace('{configured}', state.configured)}</p>
      )}
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label className={error ? 'invalid' : undefined}>
          {t.trunks.outboundField}
          <select
            value={choice}
            onChange={(e) => setChoice(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'outbound-trunk-error' : undefined}
          >
            <option value="">{t.trunks.outboundConfigDecides}</option>
            {options.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
          {error && (
            <span className="field-error" id="outbound-trunk-error" role="alert">
              {error}
            </span>
          )}
        </label>
        <button type="submit" disabled={busy}>
          {t.trunks.outboundChoose}
        </button>
      </form>
      <p className="note">{t.trunks.outboundApplies}</p>
    </section>
  );
}
