import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useApp } from '../context';
import { useT } from '../i18n';
import { duration, shortTime } from '../util';
import type { Agent, Queue } from '../types';
import { RecordingPlayer } from './RecordingPlayer';
import { CallDetails } from './CallDetails';
import type { PageOf, RecordingListing } from './types';

interface Filters {
  agentId: string;
  number: string;
  queueId: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { agentId: '', number: '', queueId: '', from: '', to: '' };

/** The search's query string; dates are whole local days, `to` included. */
function query(f: Filters, cursor: string | null): string {
  const q = new URLSearchParams();
  if (f.agentId) q.set('agentId', f.agentId);
  if (f.number.trim()) q.set('number', f.number.trim());
  if (f.queueId) q.set('queueId', f.queueId);
  if (f.from) q.set('from', new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) {
    const end = new Date(`${f.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    q.set('to', end.toISOString());
  }
  if (cursor) q.set('cursor', cursor);
  q.set('limit', '50');
  return q.toString();
}

/** Supervisors find recordings by agent, number, queue and date, play them, and read the call's CDRs. */
export function Recordings() {
  const { api, fail } = useApp();
  const t = useT();
  const [agents, setAgents] = useState<Agent[]>([]);
  const [queues, setQueues] = useState<Queue[]>([]);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [rows, setRows] = useState<RecordingListing[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [playing, setPlaying] = useState<RecordingListing | null>(null);
  const [details, setDetails] = useState<string | null>(null);

  useEffect(() => {
    api.get<Agent[]>('/agents').then(setAgents, fail);
    api.get<Queue[]>('/queues').then(setQueues, fail);
  }, [api, fail]);

  const search = useCallback(
    (f: Filters, cursor: string | null) => {
      api.get<PageOf<RecordingListing>>(`/recordings?${query(f, cursor)}`).then((page) => {
        setRows((r) => (cursor && r ? [...r, ...page.items] : page.items));
        setNext(page.nextCursor);
      }, fail);
    },
    [api, fail],
  );
  useEffect(() => search(EMPTY, null), [search]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    search(filters, null);
  };
  const set = (k: keyof Filters) => (e: { target: { value: string } }) =>
    setFilters((f) => ({ ...f, [k]: e.target.value }));

  return (
    <div className="recordings">
      <form className="card form-row" onSubmit={submit} aria-label={t.recordings.filters}>
        <label>
          {t.recordings.agent}
          <select value={filters.agentId} onChange={set('agentId')}>
            <option value="">{t.recordings.anyAgent}</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.recordings.number}
          <input value={filters.number} onChange={set('number')} inputMode="tel" />
        </label>
        <label>
          {t.recordings.queue}
          <select value={filters.queueId} onChange={set('queueId')}>
            <option value="">{t.recordings.anyQueue}</option>
            {queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.recordings.from}
          <input type="date" value={filters.from} onChange={set('from')} />
        </label>
        <label>
          {t.recordings.to}
          <input type="date" value={filters.to} onChange={set('to')} />
        </label>
        <button className="primary" type="submit">
          {t.recordings.search}
        </button>
        <button
          type="button"
          onClick={() => {
            setFilters(EMPTY);
            search(EMPTY, null);
          }}
        >
          {t.recordings.clear}
        </button>
      </form>

      {playing && (
        <div className="card">
          <RecordingPlayer
            key={playing.recordingId}
            recordingId={playing.recordingId}
            title={`${shortTime(playing.startedAt)} · ${playing.agentName ?? t.app.none} · ${playing.callerNumber ?? t.app.none}`}
            pauses={playing.pauses}
          />
        </div>
      )}

      <section className="card" aria-label={t.recordings.results}>
        <h2>{t.recordings.results}</h2>
        {rows === null ? (
          <p className="muted">{t.app.loading}</p>
        ) : rows.length === 0 ? (
          <p className="muted">{t.recordings.noResults}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t.recordings.started}</th>
                <th>{t.recordings.duration}</th>
                <th>{t.recordings.agent}</th>
                <th>{t.recordings.caller}</th>
                <th>{t.recordings.queue}</th>
                <th>{t.recordings.wrapUp}</th>
                <th>{t.wallboard.actions}</th>
              </tr>
            </thead>
            <tbody>
              {rows.flatMap((r) => [
                <tr key={r.recordingId} data-testid="recording-row" data-caller={r.callerNumber ?? ''}>
                  <td>{shortTime(r.startedAt)}</td>
                  <td>{r.durationMs === null ? t.recordings.inProgress : duration(r.durationMs)}</td>
                  <td>{r.agentName ?? t.app.none}</td>
                  <td>
                    {r.callerNumber ?? t.app.none}
                    {r.customerName && <span className="muted small"> · {r.customerName}</span>}
                  </td>
                  <td>{r.queueName ?? t.app.none}</td>
                  <td>{r.wrapUpCode ?? t.app.none}</td>
                  <td className="actions">
                    <button
                      onClick={() => setPlaying(r)}
                      aria-pressed={playing?.recordingId === r.recordingId}
                    >
                      {t.recordings.play}
                    </button>{' '}
                    <button
                      onClick={() => setDetails((d) => (d === r.interactionId ? null : r.interactionId))}
                      aria-expanded={details === r.interactionId}
                    >
                      {t.recordings.details}
                    </button>
                  </td>
                </tr>,
                details === r.interactionId && (
                  <tr key={`${r.recordingId}-details`}>
                    <td colSpan={7}>
                      <CallDetails interactionId={r.interactionId} />
                    </td>
                  </tr>
                ),
              ])}
            </tbody>
          </table>
        )}
        {next && (
          <button onClick={() => search(filters, next)} className="more">
            {t.recordings.more}
          </button>
        )}
      </section>
    </div>
  );
}
