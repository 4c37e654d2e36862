import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from '../context';
import { errorCode } from '../api';
import type { Agent, AgentState, Interaction, ReasonCode, WorkItem } from '../types';

/** One row of the work-item list: the engine's work plus interactions still waiting for a wrap-up code. */
export interface DeskItem extends WorkItem {
  interaction: Interaction | undefined;
  expiresAt: number | undefined;
}

/**
 * The agent's live desk: state, work items with their interactions, offers' expiry, codes — kept
 * current from the event stream (a reload of the state on each of the agent's events).
 */
export function useAgentDesk(agentId: string) {
  const { api, events, fail } = useApp();
  const [state, setState] = useState<AgentState | null>(null);
  const [agent, setAgent] = useState<Agent | null>(null);
  const [reasons, setReasons] = useState<ReasonCode[]>([]);
  const [wrapCodes, setWrapCodes] = useState<ReasonCode[]>([]);
  const [interactions, setInteractions] = useState<Record<string, Interaction>>({});
  const [expiry, setExpiry] = useState<Record<string, number>>({});
  /** Completed with no wrap-up time left in the queue: the agent may still code them. */
  const [toCode, setToCode] = useState<string[]>([]);
  const known = useRef(new Set<string>());

  const refresh = useCallback(() => {
    api.get<AgentState>(`/agents/${agentId}/state`).then(setState, fail);
  }, [api, agentId, fail]);

  const loadInteraction = useCallback(
    (id: string) => {
      api.get<Interaction>(`/interactions/${id}`).then(
        (i) => setInteractions((m) => ({ ...m, [i.id]: i })),
        () => known.current.delete(id),
      );
    },
    [api],
  );

  useEffect(() => {
    refresh();
    api.get<Agent>(`/agents/${agentId}`).then(setAgent, fail);
    api.get<ReasonCode[]>('/reason-codes?kind=not_ready').then(setReasons, fail);
    api.get<ReasonCode[]>('/reason-codes?kind=wrap_up').then(setWrapCodes, fail);
  }, [api, agentId, refresh, fail]);

  useEffect(
    () =>
      events.subscribe((e) => {
        const d = (e.data ?? {}) as {
          agentId?: string;
          id?: string;
          reservationId?: string;
          expiresAt?: number;
        };
        if (e.type === 'hello' || e.type === 'resync') refresh();
        if (
          (e.type === 'agent.state' || e.type === 'offer' || e.type === 'offer.cancelled') &&
          d.agentId === agentId
        ) {
          if (e.type === 'offer' && d.reservationId && d.expiresAt) {
            const { reservationId, expiresAt } = d;
            setExpiry((x) => ({ ...x, [reservationId]: expiresAt }));
          }
          refresh();
        }
        if (e.type === 'interaction.updated' && d.id && known.current.has(d.id)) {
          const i = e.data as Interaction;
          setInteractions((m) => ({ ...m, [i.id]: i }));
        }
      }),
    [events, agentId, refresh],
  );

  // Every work item's interaction is loaded once; later changes arrive as events.
  const ids = [...(state?.work.map((w) => w.interactionId) ?? []), ...toCode];
  useEffect(() => {
    for (const id of ids) {
      if (!known.current.has(id)) {
        known.current.add(id);
        loadInteraction(id);
      }
    }
  });

  const items: DeskItem[] = (state?.work ?? []).map((w) => ({
    ...w,
    interaction: interactions[w.interactionId],
    expiresAt: w.reservationId ? expiry[w.reservationId] : undefined,
  }));
  for (const id of toCode) {
    if (!items.some((i) => i.interactionId === id)) {
      const i = interactions[id];
      items.push({
        interactionId: id,
        channel: i?.channel ?? '',
        phase: 'wrap_up',
        interaction: i,
        expiresAt: undefined,
      });
    }
  }

  const act = <T>(p: Promise<T>, then?: (v: T) => void): void => {
    void p.then(
      (v) => {
        then?.(v);
        refresh();
      },
      (err: unknown) => {
        fail(err);
        refresh();
      },
    );
  };

  return {
    state,
    agent,
    reasons,
    wrapCodes,
    items,
    login: () => act(api.post(`/agents/${agentId}/login`, { presence: 'available' })),
    available: () =>
      act(
        state?.presence === 'logged_out'
          ? api.post(`/agents/${agentId}/login`, { presence: 'available' })
          : api.post(`/agents/${agentId}/presence`, { presence: 'available' }),
      ),
    notReady: (reason: string | null) =>
      act(
        state?.presence === 'logged_out'
          ? api.post(`/agents/${agentId}/login`, { presence: 'not_ready', reason })
          : api.post(`/agents/${agentId}/presence`, { presence: 'not_ready', reason }),
      ),
    logout: () => act(api.post(`/agents/${agentId}/logout`)),
    accept: (reservationId: string) =>
      act(api.post(`/agents/${agentId}/reservations/${reservationId}/accept`)),
    reject: (reservationId: string) =>
      act(api.post(`/agents/${agentId}/reservations/${reservationId}/reject`)),
    /** Hangs up the voice call (a SIP phone's too); a call already gone just completes. */
    hangup: (interactionId: string) =>
      act(
        api.post(`/interactions/${interactionId}/hangup`).catch((err: unknown) => {
          if (errorCode(err) === 'CALL_NOT_CONNECTED')
            return api.post(`/interactions/${interactionId}/complete`);
          throw err;
        }),
      ),
    complete: (interactionId: string) =>
      act(api.post<Interaction>(`/interactions/${interactionId}/complete`), (i) => {
        setInteractions((m) => ({ ...m, [i.id]: i }));
        if (i.status === 'ended') setToCode((x) => [...x, i.id]);
      }),
    wrapUp: (interactionId: string, code: string | null, notes: string | null) =>
      act(api.post<Interaction>(`/interactions/${interactionId}/wrap-up`, { code, notes }), (i) => {
        setInteractions((m) => ({ ...m, [i.id]: i }));
        setToCode((x) => x.filter((id) => id !== interactionId));
      }),
  };
}
