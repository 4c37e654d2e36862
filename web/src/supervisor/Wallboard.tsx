import { fmt, useT } from '../i18n';
import { duration, useNow } from '../util';
import { useWallboard } from './useWallboard';
import { useBrowserPhone } from '../agent/useBrowserPhone';
import { LiveCallActions, liveCallOf } from './LiveCallActions';
import { SupervisorPhone } from './SupervisorPhone';
import { ForceNotReady } from './ForceNotReady';
import type { AgentStateName } from '../types';

const COUNTED: AgentStateName[] = ['available', 'reserved', 'busy', 'wrap_up', 'not_ready'];

/** Live queues and agents for supervisors, with forcing and queue moves. */
export function Wallboard() {
  const t = useT();
  const now = useNow();
  const wb = useWallboard();
  // The supervisor's own phone: listen, whisper and barge ring it.
  const phone = useBrowserPhone();
  const phoneKey = `${phone.kind}:${phone.call?.callId ?? ''}:${phone.call?.phase ?? 'idle'}`;
  const queueName = (id: string | null) => wb.queues.find((q) => q.id === id)?.name ?? '';

  return (
    <div className="wallboard">
      <SupervisorPhone phone={phone} />
      <section aria-label={t.wallboard.queues}>
        <h2>{t.wallboard.queues}</h2>
        {wb.queues.length === 0 && <p className="muted">{t.wallboard.noQueues}</p>}
        <div className="tiles">
          {wb.queues.map((q) => {
            const s = wb.stats[q.id];
            const longest = s?.oldestArrivedAt ? (now - s.oldestArrivedAt) / 1000 : 0;
            const late = longest > q.slThresholdSec;
            return (
              <div
                key={q.id}
                className={`tile card${late ? ' alert' : ''}`}
                data-testid="queue-tile"
                data-queue={q.name}
              >
                <h3>{q.name}</h3>
                <div className="row">
                  <span>{t.wallboard.waiting}</span>
                  <span className="big" data-testid="waiting">
                    {s?.waiting ?? 0}
                  </span>
                </div>
                <div className="row">
                  <span>{t.wallboard.longestWait}</span>
                  <strong>{s?.oldestArrivedAt ? duration(now - s.oldestArrivedAt) : '0:00'}</strong>
                </div>
                <div className="row">
                  <span>{t.wallboard.serviceLevel}</span>
                  <strong>
                    {s?.serviceLevelPct == null ? t.app.none : `${Math.round(s.serviceLevelPct)}%`} /{' '}
                    {q.slTargetPct}%
                  </strong>
                </div>
                <div className="row">
                  <span>
                    {t.wallboard.answered} / {t.wallboard.abandoned}
                  </span>
                  <strong>
                    {s?.answered ?? 0} / {s?.abandoned ?? 0}
                  </strong>
                </div>
                <div className="row small">
                  <span>{t.wallboard.agentsByState}</span>
                  <span>{COUNTED.map((st) => `${t.states[st]} ${s?.agents[st] ?? 0}`).join(' · ')}</span>
                </div>
              </div>
            );
          })}
        </div>
      </section>

      <section className="card" aria-label={t.wallboard.waitingList}>
        <h2>{t.wallboard.waitingList}</h2>
        {Object.values(wb.waiting).every((w) => w.length === 0) ? (
          <p className="muted">{t.wallboard.noWaiting}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t.wallboard.queue}</th>
                <th>{t.wallboard.longestWait}</th>
                <th>{t.wallboard.priority}</th>
                <th>{t.wallboard.actions}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(wb.waiting).flatMap(([queueId, list]) =>
                list.map((w) => (
                  <tr key={w.interactionId} data-testid="waiting-row" data-queue={queueName(queueId)}>
                    <td>{queueName(queueId)}</td>
                    <td>{duration(now - w.arrivedAt)}</td>
                    <td>{w.priority}</td>
                    <td className="actions">
                      <select
                        aria-label={t.wallboard.moveTo}
                        value=""
                        onChange={(e) => e.target.value && wb.move(w.interactionId, e.target.value)}
                      >
                        <option value="">{t.wallboard.moveTo}</option>
                        {wb.queues
                          .filter((q) => q.id !== queueId)
                          .map((q) => (
                            <option key={q.id} value={q.id}>
                              {q.name}
                            </option>
                          ))}
                      </select>{' '}
                      <button
                        onClick={() => wb.raise(w.interactionId, w.priority)}
                        disabled={w.priority >= 100}
                      >
                        {t.wallboard.raise}
                      </button>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-label={t.wallboard.agents}>
        <h2>{t.wallboard.agents}</h2>
        {wb.agents.length === 0 ? (
          <p className="muted">{t.wallboard.noAgents}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t.wallboard.agent}</th>
                <th>{t.wallboard.state}</th>
                <th>{t.wallboard.timeInState}</th>
                <th>{t.wallboard.current}</th>
                <th>{t.wallboard.liveCall}</th>
                <th>{t.wallboard.actions}</th>
              </tr>
            </thead>
            <tbody>
              {wb.agents.map((a) => {
                const s = wb.states[a.id];
                if (!s) return null;
                const graceEnd = wb.reconnectingUntil(s);
                return (
                  <tr key={a.id} data-testid="agent-row" data-agent={a.username}>
                    <td>{a.displayName}</td>
                    <td>
                      <span className={`badge state-${s.state}`} data-testid="agent-row-state">
                        {t.states[s.state]}
                        {s.state === 'not_ready' && s.reason ? ` · ${wb.reasonLabel(s.reason)}` : ''}
                      </span>
                      {graceEnd !== null && (
                        <span
                          className="badge reconnecting"
                          data-testid="agent-reconnecting"
                          title={t.wallboard.reconnectingNote}
                        >
                          {fmt(t.wallboard.reconnecting, { time: duration(graceEnd - now) })}
                        </span>
                      )}
                    </td>
                    <td>{s.since ? duration(now - Date.parse(s.since)) : t.app.none}</td>
                    <td>
                      {s.work
                        .map((w) => `${t.channels[w.channel] ?? w.channel} (${t.phases[w.phase] ?? w.phase})`)
                        .join(', ') || t.app.none}
                    </td>
                    <td>
                      {liveCallOf(s) ? (
                        <LiveCallActions
                          key={liveCallOf(s)}
                          interactionId={liveCallOf(s)!}
                          phoneKey={phoneKey}
                        />
                      ) : (
                        t.app.none
                      )}
                    </td>
                    <td className="actions">
                      <button onClick={() => wb.forceAvailable(s)} disabled={s.presence === 'available'}>
                        {t.wallboard.forceAvailable}
                      </button>{' '}
                      <ForceNotReady
                        reasons={wb.reasons}
                        disabled={s.presence === 'not_ready' && !wb.reasons.length}
                        onForce={(reason) => wb.forceNotReady(s, reason)}
                      />{' '}
                      <button onClick={() => wb.forceLogout(s)} disabled={s.presence === 'logged_out'}>
                        {t.wallboard.forceLogout}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
