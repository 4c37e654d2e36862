import { useEffect, useState } from 'react';
import { useApp } from '../context';
import { useT } from '../i18n';
import { shortTime } from '../util';
import type { Cdr, InteractionEvent } from './types';

/** A call's legs (CDRs) and its interaction timeline, read when opened. */
export function CallDetails({ interactionId }: { interactionId: string }) {
  const { api, fail } = useApp();
  const t = useT();
  const [cdrs, setCdrs] = useState<Cdr[] | null>(null);
  const [events, setEvents] = useState<InteractionEvent[] | null>(null);
  useEffect(() => {
    api.get<Cdr[]>(`/interactions/${interactionId}/cdrs`).then(setCdrs, fail);
    api.get<InteractionEvent[]>(`/interactions/${interactionId}/events`).then(setEvents, fail);
  }, [api, fail, interactionId]);
  const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString() : t.app.none);
  return (
    <div className="call-details" data-testid="call-details">
      <h3>{t.recordings.cdrs}</h3>
      {cdrs === null ? (
        <p className="muted">{t.app.loading}</p>
      ) : cdrs.length === 0 ? (
        <p className="muted">{t.recordings.noCdrs}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t.recordings.leg}</th>
              <th>{t.recordings.fromTo}</th>
              <th>{t.recordings.started}</th>
              <th>{t.recordings.answered}</th>
              <th>{t.recordings.ended}</th>
              <th>{t.recordings.endCause}</th>
            </tr>
          </thead>
          <tbody>
            {cdrs.map((c) => (
              <tr key={c.id} data-testid="cdr-row">
                <td>{c.direction === 'inbound' ? t.recordings.callerLeg : t.recordings.agentLeg}</td>
                <td>
                  {c.fromAddress} → {c.toAddress}
                </td>
                <td>{shortTime(c.startedAt)}</td>
                <td>{time(c.answeredAt)}</td>
                <td>{time(c.endedAt)}</td>
                <td>{t.recordings.causes[c.endCause] ?? c.endCause}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t.recordings.timeline}</h3>
      {events === null ? (
        <p className="muted">{t.app.loading}</p>
      ) : (
        <ol className="timeline">
          {events.map((e) => (
            <li key={e.id} data-testid="timeline-event">
              <span className="muted">{time(e.at)}</span>{' '}
              {t.recordings.events[e.type] ?? e.type.replace(/_/g, ' ')}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
