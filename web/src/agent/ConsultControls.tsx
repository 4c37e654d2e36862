import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../context';
import { fmt, useT } from '../i18n';

interface Candidate {
  id: string;
  displayName: string;
}

type ConsultState = 'ringing' | 'talking' | 'conference';

/** A `call.consult` event's data (and GET …/consult). */
interface ConsultData {
  interactionId: string;
  toAgentId: string | null;
  toNumber: string | null;
  toQueueId?: string | null;
  state: ConsultState | 'ended';
  reason?: string;
}

/**
 * Consult and conference on the connected call: pick an available agent and consult them (the
 * caller holds; the Transfer dialog consults a number too); once they answer, complete the
 * transfer, cancel or make it a three-way conference (a blind transfer is the panel's Transfer
 * dialog). Follows `call.consult` events, so the state shown is the server's.
 */
export function ConsultControls({ interactionId }: { interactionId: string }) {
  const t = useT();
  const { api, events, fail } = useApp();
  const [agents, setAgents] = useState<Candidate[]>([]);
  const [chosen, setChosen] = useState('');
  const [state, setState] = useState<ConsultState | null>(null);
  /** Whom the consult calls: a number, or an agent's id (named from the candidates). */
  const [who, setWho] = useState<{ agentId: string | null; number: string | null; queued: boolean }>({
    agentId: null,
    number: null,
    queued: false,
  });
  const [missed, setMissed] = useState(false);
  const base = `/interactions/${interactionId}`;
  const follow = useCallback((d: ConsultData) => {
    setState(d.state === 'ended' ? null : d.state);
    setWho({ agentId: d.toAgentId, number: d.toNumber, queued: !!d.toQueueId && d.toAgentId === null });
    setMissed(d.state === 'ended' && d.reason === 'not_answered');
  }, []);

  const load = useCallback(() => {
    api.get<Candidate[]>(`${base}/consult/agents`).then(setAgents, () => setAgents([]));
  }, [api, base]);
  useEffect(load, [load]);
  // A consult started from the Transfer dialog (or before a reload) is shown too.
  useEffect(() => {
    api.get<ConsultData>(`${base}/consult`).then(follow, () => undefined);
  }, [api, base, follow]);
  useEffect(
    () =>
      events.subscribe((e) => {
        if (e.type !== 'call.consult') return;
        const d = e.data as ConsultData;
        if (d.interactionId !== interactionId) return;
        follow(d);
        if (d.state === 'ended') load();
      }),
    [events, interactionId, load, follow],
  );

  const act = (p: Promise<unknown>) => void p.catch(fail);
  const name = who.number ?? agents.find((a) => a.id === (who.agentId ?? chosen))?.displayName ?? '';
  return (
    <div className="consult" role="group" aria-label={t.consult.title} data-testid="consult-controls">
      {state === null ? (
        <>
          {missed && (
            <p className="muted small" role="status" data-testid="consult-missed">
              {fmt(t.consult.notAnswered, { agent: name })}
            </p>
          )}
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
                act(
                  api.post(`${base}/consult`, { agentId: chosen }).then(() => {
                    setWho({ agentId: chosen, number: null, queued: false });
                    setState('ringing');
                  }),
                )
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
              state === 'ringing' && who.queued
                ? t.consult.inQueue
                : state === 'ringing'
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
