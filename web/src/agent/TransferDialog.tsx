import { useEffect, useState, type FormEvent } from 'react';
import { useApp } from '../context';
import { errorText, useT } from '../i18n';
import type { Agent, Queue } from '../types';
import type { ConsultTarget, TransferTarget } from './useCallControls';

type Kind = 'queue' | 'agent' | 'number';

/**
 * Transfer of the connected caller: blind to a queue, an agent or an outside number (one endpoint,
 * POST /interactions/{id}/transfer), or a consult first with any of them (POST …/consult;
 * the panel's consult controls then complete, cancel or conference). A refusal stays in the dialog
 * in plain words.
 */
export function TransferDialog(props: {
  onTransfer: (to: TransferTarget) => Promise<string | null>;
  onConsult?: (to: ConsultTarget) => Promise<string | null>;
  onClose: () => void;
}) {
  const t = useT();
  const { api, me } = useApp();
  const [kind, setKind] = useState<Kind>('queue');
  const [queues, setQueues] = useState<Queue[]>([]);
  const [agents, setAgents] = useState<Agent[]>([]);
  const [target, setTarget] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    api.get<Queue[]>('/queues').then(setQueues, () => undefined);
    api.get<Agent[]>('/agents').then(
      (a) => setAgents(a.filter((x) => x.id !== me.agentId)),
      () => undefined,
    );
  }, [api, me.agentId]);

  const choose = (k: Kind) => {
    setKind(k);
    setTarget('');
    setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = target.trim();
    if (!value) return;
    const to: TransferTarget =
      kind === 'queue' ? { queueId: value } : kind === 'agent' ? { agentId: value } : { number: value };
    setSending(true);
    const code = await props.onTransfer(to);
    setSending(false);
    if (code === null) props.onClose();
    else setError(errorText(t, code));
  };

  const consult = async () => {
    const value = target.trim();
    if (!value || !props.onConsult) return;
    setSending(true);
    const code = await props.onConsult(
      kind === 'queue' ? { queueId: value } : kind === 'agent' ? { agentId: value } : { number: value },
    );
    setSending(false);
    if (code === null) props.onClose();
    else setError(errorText(t, code));
  };
  const canConsult = props.onConsult !== undefined;

  return (
    <form
      className="transfer card"
      role="dialog"
      aria-label={t.call.transferTitle}
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onClose();
      }}
      data-testid="transfer-dialog"
    >
      <h3>{t.call.transferTitle}</h3>
      <div className="segmented" role="radiogroup" aria-label={t.call.transferTo}>
        {(['queue', 'agent', 'number'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={kind === k}
            className={kind === k ? 'active' : ''}
            onClick={() => choose(k)}
          >
            {t.call.transferKinds[k]}
          </button>
        ))}
      </div>
      {kind === 'queue' && (
        <label>
          {t.call.transferKinds.queue}
          <select value={target} onChange={(e) => setTarget(e.target.value)} autoFocus>
            <option value="">{t.call.choose}</option>
            {queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {kind === 'agent' && (
        <label>
          {t.call.transferKinds.agent}
          <select value={target} onChange={(e) => setTarget(e.target.value)} autoFocus>
            <option value="">{t.call.choose}</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName}
              </option>
            ))}
          </select>
        </label>
      )}
      {kind === 'number' && (
        <label>
          {t.call.transferKinds.number}
          <input
            type="tel"
            inputMode="tel"
            value={target}
            placeholder="+12025550100"
            onChange={(e) => setTarget(e.target.value)}
            autoFocus
          />
        </label>
      )}
      {error && (
        <p className="error" role="alert" data-testid="transfer-error">
          {error}
        </p>
      )}
      <div className="controls">
        <button type="submit" className="primary" disabled={!target.trim() || sending}>
          {t.call.transferNow}
        </button>
        {canConsult && (
          <button
            type="button"
            disabled={!target.trim() || sending}
            onClick={() => void consult()}
            title={t.call.consultHint}
            data-testid="consult-first"
          >
            {t.call.consultFirst}
          </button>
        )}
        <button type="button" onClick={props.onClose}>
          {t.app.cancel}
        </button>
      </div>
    </form>
  );
}
