import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../context';
import { fmt, useT } from '../i18n';

interface Candidate {
  id: string;
  displayName: string;
}

type ConsultState = 'ringing' | 'talking' | 'conference';

/**
 * Consult and conference on the connected call: pick an available agent and consult them (the
 * caller holds); once they answer, complete the transfer, cancel or make it a three-way conference
 * (a blind transfer is the panel's Transfer dialog). Follows `call.consult` events, so the state shown is the server's.
 */
export function ConsultControls({ interactionId }: { interactionId: string }) {
  const t = useT();
  const { api, events, fail } = useApp();
  const [agents, setAgents] = useState<Candidate[]>([]);
  const [chosen, setChosen] = useState('');
  const [state, setState] = useState<ConsultState | null>(null);
  const base = `/interactions/${interactionId}`;

  const load = useCallback(() => {
    api.get<Candidate[]>(`${base}/consult/agents`).then(setAgents, () => setAgents([]));
  }, [api, base]);
  useEffect(load, [load]);
  useEffect(
    () =>
      events.subscribe((e) => {
        if (e.type !== 'call.consult') return;
        const d = e.data as { interactionId: string; state: ConsultState | 'ended' };
        if (d.interactionId !== interactionId) return;
        setState(d.state === 'ended' ? null : d.state);
        if (d.state === 'ended') load();
      }),
    [events, interactionId, load],
  );

  const act = (p: Promise<unknown>) => void p.catch(fail);
  const name = agents.find((a) => a.id === chosen)?.displayName ?? '';
  return (
    <div className="consult" role="group" aria-label={t.consult.title} data-testid="consult-controls">
      {state === null ? (
        <>
          <label className="inline">
            {t.consult.agent}
            <select value={chosen} onChange={(e) => setChosen(e.target.value)} onFocus={load}>
              <option value="">{agents.length === 0 ? t.consult.nobody : t.consult.pick}</option>
              {agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.displayName}
                </option>
              ))}
            </select>
          </label>
          <div className="controls">
            <button
              disabled={!chosen}
              onClick={() =>
                act(api.post(`${base}/consult`, { agentId: chosen }).then(() => setState('ringing')))
              }
            >
              {t.consult.consult}
            </button>
          </div>
        </>
      ) : (
        <>
          <p data-testid="consult-state">
            {fmt(
              state === 'ringing'
                ? t.consult.ringing
                : state === 'talking'
                  ? t.consult.talking
                  : t.consult.conference,
              {
                agent: name,
              },
            )}
          </p>
          <div className="controls">
            {state !== 'conference' && (
              <>
                <button
                  className="primary"
                  disabled={state !== 'talking'}
                  onClick={() => act(api.post(`${base}/consult/complete`))}
                >
                  {t.consult.complete}
                </button>
                <button
                  disabled={state !== 'talking'}
                  onClick={() => act(api.post(`${base}/conference`).then(() => setState('conference')))}
                >
                  {t.consult.conferenceButton}
                </button>
                <button
                  className="danger"
                  onClick={() => act(api.post(`${base}/consult/cancel`).then(() => setState(null)))}
                >
                  {t.consult.cancel}
                </button>
              </>
            )}
          </div>
        </>
      )}
    </div>
  );
}
