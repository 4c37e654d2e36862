import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from '../context';
import type { Agent, AgentState, AgentStateName, Queue, QueueStats, ReasonCode, Waiting } from '../types';
import { liveCallOf } from './LiveCallActions';

interface TimelineEvent {
  at: string;
  type: string;
  details: Record<string, unknown> | null;
}

/**
 * When the grace period of a call whose browser phone is reconnecting ends (epoch ms), read from
 * its timeline: the last connection_lost not followed by a reconnect or a requeue. Null otherwise.
 */
function graceEndOf(timeline: TimelineEvent[]): number | null {
  let end: number | null = null;
  for (const e of timeline) {
    if (e.type === 'connection_lost') {
      end = Date.parse(e.at) + Number(e.details?.graceSeconds ?? 0) * 1000;
    }
    if (e.type === 'reconnected' || e.type === 'requeued_after_connection_lost') end = null;
  }
  return end;
}

/**
 * The wallboard's data: a snapshot over HTTP once (and after a resync), then only events — queue
 * statistics, agent states and the waiting lists move with the stream, never by polling.
 */
export function useWallboard() {
  const { api, events, fail } = useApp();
  const [queues, setQueues] = useState<Queue[]>([]);
  const [stats, setStats] = useState<Record<string, QueueStats>>({});
  const [agents, setAgents] = useState<Agent[]>([]);
  const [states, setStates] = useState<Record<string, AgentState>>({});
  const [waiting, setWaiting] = useState<Record<string, Waiting[]>>({});
  const [reasons, setReasons] = useState<ReasonCode[]>([]);
  // Calls (interaction id) whose agent's browser phone is reconnecting → end of the grace (epoch ms).
  const [reconnecting, setReconnecting] = useState<Record<string, number>>({});
  const queueIds = useRef<string[]>([]);

  const pendingWaiting = useRef(new Set<string>());
  // Bursts of events for one queue cause one read of its waiting list.
  const loadWaiting = useCallback(
    (queueId: string) => {
      if (pendingWaiting.current.has(queueId)) return;
      pendingWaiting.current.add(queueId);
      window.setTimeout(() => {
        pendingWaiting.current.delete(queueId);
        api.get<Waiting[]>(`/queues/${queueId}/waiting`).then(
          (w) => setWaiting((m) => ({ ...m, [queueId]: w })),
          () => undefined,
        );
      }, 100);
    },
    [api],
  );
  const loadAgentState = useCallback(
    (agentId: string) => {
      api.get<AgentState>(`/agents/${agentId}/state`).then(
        (s) => setStates((m) => ({ ...m, [agentId]: s })),
        () => undefined,
      );
    },
    [api],
  );

  const snapshot = useCallback(() => {
    api.get<Queue[]>('/queues').then((qs) => {
      setQueues(qs);
      queueIds.current = qs.map((q) => q.id);
      for (const q of qs) loadWaiting(q.id);
    }, fail);
    api
      .get<QueueStats[]>('/stats/queues')
      .then((ss) => setStats(Object.fromEntries(ss.map((s) => [s.queueId, s]))), fail);
    api.get<Agent[]>('/agents').then(setAgents, fail);
    api.get<ReasonCode[]>('/reason-codes?kind=not_ready').then(setReasons, fail);
    api.get<AgentState[]>('/agents/states').then((ss) => {
      setStates(Object.fromEntries(ss.map((s) => [s.agentId, s])));
      // A phone lost before this page opened (or during a resync) is only on the call's timeline.
      setReconnecting({});
      for (const s of ss) {
        const call = liveCallOf(s);
        if (!call) continue;
        api.get<TimelineEvent[]>(`/interactions/${call}/events`).then(
          (timeline) => {
            const end = graceEndOf(timeline);
            if (end !== null) setReconnecting((m) => ({ ...m, [call]: end }));
          },
          () => undefined,
        );
      }
    }, fail);
  }, [api, fail, loadWaiting]);

  useEffect(() => snapshot(), [snapshot]);

  useEffect(
    () =>
      events.subscribe((e) => {
        if (e.type === 'resync') snapshot();
        if (e.type === 'queue.stats') {
          const s = e.data as QueueStats;
          setStats((m) => ({ ...m, [s.queueId]: s }));
          if (!queueIds.current.includes(s.queueId)) snapshot();
          else loadWaiting(s.queueId);
        }
        if (e.type === 'interaction.updated') {
          const i = e.data as { status: string; queueId: string | null };
          if (i.status === 'queued' && i.queueId) loadWaiting(i.queueId);
        }
        if (e.type === 'agent.state') {
          const d = e.data as { agentId: string; state: AgentStateName; reason: string | null; at: number };
          setStates((m) => {
            const cur = m[d.agentId];
            if (!cur) return m;
            return {
              ...m,
              [d.agentId]: { ...cur, state: d.state, reason: d.reason, since: new Date(d.at).toISOString() },
            };
          });
          // The event carries the state; the work list (current interaction) is read once after it.
          loadAgentState(d.agentId);
        }
        if (e.type === 'call.reconnecting') {
          const d = e.data as { interactionId: string; until: string };
          // Counted from the event's own time, so a clock difference with the server does not matter.
          const left = Date.parse(d.until) - (e.at ?? Date.now());
          setReconnecting((m) => ({ ...m, [d.interactionId]: Date.now() + left }));
        }
        if (e.type === 'call.reconnected' || e.type === 'call.reconnect_failed') {
          const d = e.data as { interactionId: string };
          setReconnecting((m) => {
            const { [d.interactionId]: _gone, ...rest } = m;
            return rest;
          });
        }
      }),
    [events, snapshot, loadWaiting, loadAgentState],
  );

  const act = (p: Promise<unknown>) => {
    p.then(() => undefined, fail);
  };
  return {
    queues,
    stats,
    agents,
    states,
    waiting,
    /** When the agent's call waits for their browser phone to reconnect: the end of the grace (ms). */
    reconnectingUntil: (s: AgentState): number | null => {
      const call = liveCallOf(s);
      return call === undefined ? null : (reconnecting[call] ?? null);
    },
    reasonLabel: (code: string) => reasons.find((r) => r.code === code)?.label ?? code,
    forceAvailable: (a: AgentState) =>
      act(
        a.presence === 'logged_out'
          ? api.post(`/agents/${a.agentId}/login`, { presence: 'available' })
          : api.post(`/agents/${a.agentId}/presence`, { presence: 'available' }),
      ),
    reasons,
    forceNotReady: (a: AgentState, reason: string | null = null) =>
      act(
        a.presence === 'logged_out'
          ? api.post(`/agents/${a.agentId}/login`, { presence: 'not_ready', reason })
          : api.post(`/agents/${a.agentId}/presence`, { presence: 'not_ready', reason }),
      ),
    forceLogout: (a: AgentState) => act(api.post(`/agents/${a.agentId}/logout`)),
    move: (interactionId: string, queueId: string) =>
      act(api.post(`/interactions/${interactionId}/move`, { queueId })),
    raise: (interactionId: string, priority: number) =>
      act(api.post(`/interactions/${interactionId}/priority`, { priority: Math.min(100, priority + 10) })),
  };
}
