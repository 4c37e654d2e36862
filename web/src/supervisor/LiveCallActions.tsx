import { useCallback, useEffect, useState } from 'react';
import { errorCode } from '../api';
import { useApp } from '../context';
import { fmt, useT } from '../i18n';
import type { AgentState } from '../types';

type Mode = 'listen' | 'whisper' | 'barge';
const MODES: Mode[] = ['listen', 'whisper', 'barge'];

interface Supervision {
  mode: Mode;
  state: 'ringing' | 'connected';
  supervisorId: string;
}

/** The agent's connected voice interaction, if any. */
export function liveCallOf(s: AgentState): string | undefined {
  return s.work.find((w) => w.channel === 'voice' && w.phase === 'active')?.interactionId;
}

/**
 * Listen / whisper / barge / force release on one agent's live call. Starting rings the
 * supervisor's own phone (POST …/supervise); once supervising, another mode switches on the fly
 * (PATCH). `phoneKey` changes when the supervisor's phone does, to read the supervision again.
 */
export function LiveCallActions(props: { interactionId: string; phoneKey: string }) {
  const { interactionId, phoneKey } = props;
  const t = useT();
  const { api, fail } = useApp();
  const [sup, setSup] = useState<Supervision | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.get<Supervision>(`/interactions/${interactionId}/supervise`).then(setSup, (err: unknown) => {
      if (errorCode(err) === 'SUPERVISION_NOT_ACTIVE') setSup(null);
    });
  }, [api, interactionId]);
  useEffect(() => load(), [load, phoneKey]);
  // A SIP phone's answer is not signalled to the page: while it rings, read again now and then.
  const ringing = sup?.state === 'ringing';
  useEffect(() => {
    if (!ringing) return;
    const timer = window.setInterval(load, 2000);
    return () => window.clearInterval(timer);
  }, [ringing, load]);

  const run = (p: Promise<Supervision | undefined>) => {
    setBusy(true);
    p.then((s) => setSup(s ?? null), fail).finally(() => setBusy(false));
  };
  const choose = (mode: Mode) =>
    run(
      sup
        ? api.patch<Supervision>(`/interactions/${interactionId}/supervise`, { mode })
        : api.post<Supervision>(`/interactions/${interactionId}/supervise`, { mode }),
    );

  return (
    <span className="livecall" data-testid="live-call-actions">
      {MODES.map((m) => (
        <button
          key={m}
          onClick={() => choose(m)}
          disabled={busy || sup?.mode === m}
          aria-pressed={sup?.mode === m}
          className={sup?.mode === m ? 'active' : ''}
        >
          {t.wallboard[m]}
        </button>
      ))}
      {sup && (
        <button
          onClick={() => run(api.del(`/interactions/${interactionId}/supervise`).then(() => undefined))}
        >
          {t.wallboard.stopSupervising}
        </button>
      )}
      {confirming ? (
        <button
          className="danger"
          onClick={() => {
            setConfirming(false);
            run(api.post(`/interactions/${interactionId}/release`).then(() => undefined));
          }}
          onBlur={() => setConfirming(false)}
          autoFocus
        >
          {t.wallboard.confirmRelease}
        </button>
      ) : (
        <button className="danger" onClick={() => setConfirming(true)} disabled={busy}>
          {t.wallboard.release}
        </button>
      )}
      {sup && (
        <span className="muted small" data-testid="supervision-state" role="status">
          {fmt(t.wallboard.supervising, {
            mode: t.wallboard[sup.mode],
            state: t.wallboard.supervisionStates[sup.state] ?? sup.state,
          })}
        </span>
      )}
    </span>
  );
}
