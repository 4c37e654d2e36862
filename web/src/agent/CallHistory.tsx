import { useCallback, useState } from 'react';
import { useApp } from '../context';
import { useT } from '../i18n';
import { duration, shortTime } from '../util';
import { RecordingPlayer } from '../recordings/RecordingPlayer';
import type { HistoryEntry, PageOf } from '../recordings/types';

/** The agent's own recent interactions (every channel), read when opened, with their recordings. */
export function CallHistory() {
  const { api, fail } = useApp();
  const t = useT();
  const [rows, setRows] = useState<HistoryEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [playing, setPlaying] = useState<string | null>(null);

  const load = useCallback(
    (cursor: string | null) => {
      const q = cursor ? `?limit=20&cursor=${encodeURIComponent(cursor)}` : '?limit=20';
      api.get<PageOf<HistoryEntry>>(`/agents/me/history${q}`).then((page) => {
        setRows((r) => (cursor && r ? [...r, ...page.items] : page.items));
        setNext(page.nextCursor);
      }, fail);
    },
    [api, fail],
  );

  const outcome = (h: HistoryEntry) =>
    [
      h.outcome ? (t.history.outcomes[h.outcome] ?? h.outcome) : (t.phases[h.status] ?? h.status),
      h.wrapUpCode,
    ]
      .filter(Boolean)
      .join(' · ');

  return (
    <details
      className="callhistory card"
      onToggle={(e) => {
        if ((e.target as HTMLDetailsElement).open) load(null);
      }}
    >
      <summary>
        <h2>{t.history.title}</h2>
      </summary>
      {rows === null ? (
        <p className="muted">{t.app.loading}</p>
      ) : rows.length === 0 ? (
        <p className="muted">{t.history.empty}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t.history.time}</th>
              <th>{t.history.channel}</th>
              <th>{t.history.customer}</th>
              <th>{t.history.queue}</th>
              <th>{t.history.duration}</th>
              <th>{t.history.outcome}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((h) => {
              const rec = h.recordings[0];
              return (
                <tr key={h.interactionId} data-testid="history-row">
                  <td>{shortTime(h.createdAt)}</td>
                  <td>{t.channels[h.channel] ?? h.channel}</td>
                  <td>
                    {h.fromAddress ?? h.subject ?? t.app.none}
                    {h.customerName && <span className="muted small"> · {h.customerName}</span>}
                  </td>
                  <td>{h.queueName ?? t.app.none}</td>
                  <td>
                    {h.acceptedAt && h.endedAt
                      ? duration(Date.parse(h.endedAt) - Date.parse(h.acceptedAt))
                      : t.app.none}
                  </td>
                  <td>{outcome(h)}</td>
                  <td>
                    {rec &&
                      (playing === rec.id ? (
                        <RecordingPlayer recordingId={rec.id} title="" />
                      ) : (
                        <button onClick={() => setPlaying(rec.id)}>{t.history.play}</button>
                      ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p>
        <button onClick={() => load(null)}>{t.history.refresh}</button>{' '}
        {next && <button onClick={() => load(next)}>{t.history.more}</button>}
      </p>
    </details>
  );
}
