import { useCallback, useEffect, useState } from 'react';
import { errorCode } from '../api';
import { useApp } from '../context';

/** Who holds the call, as GET /interactions/{id}/hold tells. */
export interface HoldState {
  held: boolean;
  heldBy: ('api' | 'agent' | 'caller')[];
}

/** Whether the call is recorded now, and paused (card capture). */
export interface RecordingState {
  recording: boolean;
  paused: boolean;
}

/** Where a blind transfer sends the caller: a queue, an agent or an outside number. */
export type TransferTarget = { queueId: string } | { agentId: string } | { number: string };

/** Whom a consult calls while the caller holds: an agent, a queue (one of its agents) or an outside number. */
export type ConsultTarget = { agentId: string } | { queueId: string } | { number: string };

/**
 * Call control of the agent's connected voice interaction over the API: hold (read back from the
 * server, so a reload shows it), recording pause for card capture, digits for a SIP phone, and
 * blind transfer. `interactionId` undefined = no connected call.
 */
export function useCallControls(interactionId: string | undefined) {
  const { api, events, fail } = useApp();
  const [hold, setHold] = useState<HoldState>({ held: false, heldBy: [] });
  const [rec, setRec] = useState<RecordingState>({ recording: false, paused: false });
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setHold({ held: false, heldBy: [] });
    setRec({ recording: false, paused: false });
    if (!interactionId) return;
    let live = true;
    // The call may still be connecting when the item turns active: a refused read is not an error.
    api.get<HoldState>(`/interactions/${interactionId}/hold`).then(
      (h) => live && setHold(h),
      () => undefined,
    );
    api.get<RecordingState>(`/interactions/${interactionId}/recording`).then(
      (r) => live && setRec(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, interactionId]);

  // A hold from the phone's key (or by a supervisor) arrives as an event.
  useEffect(
    () =>
      events.subscribe((e) => {
        const d = e.data as (HoldState & { interactionId?: string }) | undefined;
        if (e.type === 'call.hold' && d && d.interactionId === interactionId) {
          setHold({ held: d.held, heldBy: d.heldBy });
        }
      }),
    [events, interactionId],
  );

  /** Re-reads hold and recording (after the call connects, when the first read came too early). */
  const refresh = useCallback(() => {
    if (!interactionId) return;
    api.get<HoldState>(`/interactions/${interactionId}/hold`).then(setHold, () => undefined);
    api.get<RecordingState>(`/interactions/${interactionId}/recording`).then(setRec, () => undefined);
  }, [api, interactionId]);

  const run = useCallback(
    <T>(p: Promise<T>, then: (v: T) => void) => {
      setBusy(true);
      p.then(then, fail).finally(() => setBusy(false));
    },
    [fail],
  );

  const toggleHold = useCallback(() => {
    if (!interactionId) return;
    run(api.post<HoldState>(`/interactions/${interactionId}/${hold.held ? 'resume' : 'hold'}`), setHold);
  }, [api, interactionId, hold.held, run]);

  const toggleRecordingPause = useCallback(() => {
    if (!interactionId) return;
    run(
      api.post<RecordingState>(`/interactions/${interactionId}/recording/${rec.paused ? 'resume' : 'pause'}`),
      setRec,
    );
  }, [api, interactionId, rec.paused, run]);

  /** Digits to the caller through the server (RFC 4733 from the media core) — for SIP phones. */
  const sendDigits = useCallback(
    (digits: string) => {
      if (interactionId) run(api.post(`/interactions/${interactionId}/dtmf`, { digits }), () => undefined);
    },
    [api, interactionId, run],
  );

  /** Blind transfer; resolves to an error code (for the dialog to show in words) or null. */
  const transfer = useCallback(
    async (to: TransferTarget): Promise<string | null> => {
      if (!interactionId) return 'CALL_NOT_CONNECTED';
      try {
        await api.post(`/interactions/${interactionId}/transfer`, { to });
        return null;
      } catch (err) {
        return errorCode(err);
      }
    },
    [api, interactionId],
  );

  /** Consult an agent or a number first (the caller holds); resolves to an error code or null. */
  const consult = useCallback(
    async (to: ConsultTarget): Promise<string | null> => {
      if (!interactionId) return 'CALL_NOT_CONNECTED';
      try {
        await api.post(`/interactions/${interactionId}/consult`, to);
        return null;
      } catch (err) {
        return errorCode(err);
      }
    },
    [api, interactionId],
  );

  return { hold, rec, busy, refresh, toggleHold, toggleRecordingPause, sendDigits, transfer, consult };
}

export type CallControls = ReturnType<typeof useCallControls>;
