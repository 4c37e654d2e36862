import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../../context';
import { fmt, useT } from '../../i18n';
import { shortTime } from '../../util';
import { percent, type Counts, type Monitor } from './model';

/** The monitor is not pushed: it is read again this often while the page is open. */
const REFRESH_MS = 5000;
const RATES: (keyof Counts)[] = ['accepted', 'submitted', 'delivered', 'failed', 'retried', 'uncertain'];

/** Throughput, queue depth per priority, routes (bound / down) and recent failures, refreshed live. */
export function MonitorPanel() {
  const t = useT();
  const { api, fail } = useApp();
  const [m, setM] = useState<Monitor | null>(null);
  const load = useCallback(() => {
    api.get<Monitor>('/sms/monitor?failures=20').then(setM, fail);
  }, [api, fail]);
  useEffect(() => {
    load();
    const id = window.setInterval(load, REFRESH_MS);
    return () => window.clearInterval(id);
  }, [load]);
  if (!m) return <p className="muted">{t.app.loading}</p>;
  const queued = m.queue.reduce((n, q) => n + q.queued, 0);
  return (
    <div className="sms-monitor">
      <p className="muted small" role="status">
        {fmt(t.sms.updatedAt, { time: new Date(m.at).toLocaleTimeString() })}
      </p>
      <div className="tiles" aria-label={t.sms.throughput} role="group">
        {RATES.map((k) => (
          <div key={k} className="tile card" data-testid={`sms-rate-${k}`}>
            <div className="row">
              <span>{t.sms.counts[k]}</span>
              <span className="big">{m.throughput[k].toFixed(1)}</span>
            </div>
            <div className="row small">
              <span>{t.sms.perSecond}</span>
              <span>{fmt(t.sms.lastMinute, { n: m.lastMinute[k] })}</span>
            </div>
          </div>
        ))}
        <div className={`tile card${(m.errorRate ?? 0) > 0.05 ? ' alert' : ''}`} data-testid="sms-error-rate">
          <div className="row">
            <span>{t.sms.errorRate}</span>
            <span className="big">{percent(m.errorRate, t.app.none)}</span>
          </div>
          <div className="row small">
            <span>{t.sms.errorRateNote}</span>
          </div>
        </div>
      </div>

      <div className="sms-columns">
        <section className="card" aria-label={t.sms.queueDepth}>
          <h3>
            {t.sms.queueDepth} <span className="muted small">{fmt(t.sms.totalQueued, { n: queued })}</span>
          </h3>
          <table aria-label={t.sms.queueDepth}>
            <thead>
              <tr>
                <th>{t.sms.priority}</th>
                <th>{t.sms.types}</th>
                <th>{t.sms.queued}</th>
              </tr>
            </thead>
            <tbody>
              {m.queue.map((q) => (
                <tr key={q.priority} data-testid="sms-queue-row">
                  <td>{q.priority}</td>
                  <td>{q.types.map((x) => t.sms.typeNames[x] ?? x).join(', ')}</td>
                  <td>{q.queued}</td>
                </tr>
              ))}
              {m.queue.length === 0 && (
                <tr>
                  <td colSpan={3} className="muted">
                    {t.sms.nothingQueued}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>

        <section className="card" aria-label={t.sms.routes}>
          <h3>{t.sms.routes}</h3>
          <div className="scroll-x">
            <table aria-label={t.sms.routes}>
              <thead>
                <tr>
                  <th>{t.sms.route}</th>
                  <th>{t.sms.routeState}</th>
                  <th>{t.sms.inFlight}</th>
                  <th>{t.sms.rate}</th>
                  <th>{t.sms.sentLastMinute}</th>
                  <th>{t.sms.errorRate}</th>
                  <th>{t.sms.lastError}</th>
                </tr>
              </thead>
              <tbody>
                {m.routes.map((r) => (
                  <tr key={r.name} data-testid="sms-route-row" data-route={r.name}>
                    <td>
                      <strong>{r.name}</strong> <span className="muted small">{r.driver}</span>
                      <div className="muted small">
                        {[...r.prefixes.map((p) => `+${p}`), ...r.types].join(' · ') || t.sms.allTraffic}
                      </div>
                    </td>
                    <td>
                      <span className={`badge ${r.up ? 'route-up' : 'route-down'}`} title={r.detail}>
                        {r.up ? t.sms.bound : t.sms.down}
                      </span>
                      <div className="muted small">{r.detail}</div>
                    </td>
                    <td>
                      {r.inFlight} / {r.window}
                      {r.waiting > 0 && (
                        <div className="muted small">{fmt(t.sms.waitingForWindow, { n: r.waiting })}</div>
                      )}
                    </td>
                    <td>{fmt(t.sms.ratePerSec, { n: r.rate })}</td>
                    <td>{r.lastMinute.submitted}</td>
                    <td>{percent(r.errorRate, t.app.none)}</td>
                    <td className="small">
                      {r.lastError ? `${shortTime(r.lastError.at)} · ${r.lastError.reason}` : t.app.none}
                    </td>
                  </tr>
                ))}
                {m.routes.length === 0 && (
                  <tr>
                    <td colSpan={7} className="muted">
                      {t.sms.noRoutes}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </section>
      </div>

      <section className="card" aria-label={t.sms.recentFailures}>
        <h3>{t.sms.recentFailures}</h3>
        <table aria-label={t.sms.recentFailures}>
          <thead>
            <tr>
              <th>{t.sms.at}</th>
              <th>{t.sms.route}</th>
              <th>{t.sms.reference}</th>
              <th>{t.sms.errorCode}</th>
              <th>{t.sms.reason}</th>
            </tr>
          </thead>
          <tbody>
            {m.recentFailures.map((f, i) => (
              <tr key={`${f.at}-${i}`} data-testid="sms-failure-row">
                <td>{shortTime(f.at)}</td>
                <td>{f.route ?? t.app.none}</td>
                <td className="mono small">{f.reference ?? t.app.none}</td>
                <td>{f.errorCode ?? t.app.none}</td>
                <td>{f.reason}</td>
              </tr>
            ))}
            {m.recentFailures.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  {t.sms.noFailures}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
    </div>
  );
}
