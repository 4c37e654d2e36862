import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from '../../context';
import { fmt, useT } from '../../i18n';
import { shortTime } from '../../util';
import { money, type Account, type SmsDetail } from './model';

/** Ordinary JSON values of an event's details, shortened to one line. */
function detailsText(d: Record<string, unknown> | null): string {
  if (!d) return '';
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

/** One message: its segments (route, SMSC id, state), every step (submits, retries, receipts) and its charge. */
export function MessageDetail(props: {
  id: string;
  accounts: Account[];
  onClose: () => void;
  onChanged: () => void;
}) {
  const t = useT();
  const { api, events, fail } = useApp();
  const [m, setM] = useState<SmsDetail | null>(null);
  const box = useRef<HTMLElement>(null);
  const shown = m !== null;
  // Opened below a long list: bring it into view once.
  useEffect(() => {
    if (shown) box.current?.scrollIntoView({ block: 'nearest' });
  }, [shown]);
  const load = useCallback(() => {
    api.get<SmsDetail>(`/sms/${props.id}`).then(setM, fail);
  }, [api, fail, props.id]);
  useEffect(() => load(), [load]);
  // A receipt for this message: read it again with its new step.
  useEffect(
    () =>
      events.subscribe((e) => {
        if (e.type === 'sms.updated' && (e.data as { id: string }).id === props.id) load();
      }),
    [events, load, props.id],
  );
  if (!m) return null;
  const currency = props.accounts.find((a) => a.id === m.accountId)?.currency ?? '';
  const cancellable = m.status === 'queued';
  const cancel = () => {
    api.post(`/sms/${m.id}/cancel`).then(() => {
      load();
      props.onChanged();
    }, fail);
  };
  return (
    <section ref={box} className="card sms-detail" aria-label={t.sms.detailTitle} data-testid="sms-detail">
      <h3>
        {t.sms.detailTitle} <span className="mono small">{m.id}</span>
        <span className="spacer" />
        {cancellable && (
          <button className="danger" onClick={cancel}>
            {t.sms.cancelMessage}
          </button>
        )}
        <button onClick={props.onClose}>{t.app.close}</button>
      </h3>
      <dl className="facts">
        <dt>{t.sms.recipient}</dt>
        <dd>{m.recipient}</dd>
        <dt>{t.sms.sender}</dt>
        <dd>{m.sender}</dd>
        <dt>{t.sms.status}</dt>
        <dd>
          {t.sms.statuses[m.status] ?? m.status}
          {m.errorCode !== null && ` (${t.sms.errorCode} ${m.errorCode})`}
        </dd>
        <dt>{t.sms.text}</dt>
        <dd className="pre">{m.body}</dd>
        <dt>{t.sms.encoding}</dt>
        <dd>
          {m.encoding.toUpperCase()} · {t.sms.segments}: {m.segments}
        </dd>
        <dt>{t.sms.cost}</dt>
        <dd>{currency ? money(m.costMinor, currency) : m.costMinor}</dd>
        {m.sendAt && (
          <>
            <dt>{t.sms.sendAt}</dt>
            <dd>{shortTime(m.sendAt)}</dd>
          </>
        )}
        {m.validUntil && (
          <>
            <dt>{t.sms.validUntil}</dt>
            <dd>{shortTime(m.validUntil)}</dd>
          </>
        )}
      </dl>
      <h4>{t.sms.parts}</h4>
      <table aria-label={t.sms.parts}>
        <thead>
          <tr>
            <th>#</th>
            <th>{t.sms.status}</th>
            <th>{t.sms.route}</th>
            <th>{t.sms.smscId}</th>
            <th>{t.sms.errorCode}</th>
            <th>{t.sms.submitted}</th>
            <th>{t.sms.done}</th>
          </tr>
        </thead>
        <tbody>
          {m.parts.map((p) => (
            <tr key={p.seq} data-testid="sms-part">
              <td>{p.seq}</td>
              <td>{t.sms.statuses[p.status] ?? p.status}</td>
              <td>{p.route ?? t.app.none}</td>
              <td className="mono small">{p.smscMessageId ?? t.app.none}</td>
              <td>{p.errorCode ?? t.app.none}</td>
              <td>{shortTime(p.submittedAt)}</td>
              <td>{shortTime(p.doneAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>{t.sms.steps}</h4>
      <table aria-label={t.sms.steps}>
        <thead>
          <tr>
            <th>{t.sms.at}</th>
            <th>{t.sms.step}</th>
            <th>{t.sms.details}</th>
          </tr>
        </thead>
        <tbody>
          {m.events.map((e, i) => (
            <tr key={i} data-testid="sms-step">
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>
                {e.type.startsWith('receipt:')
                  ? fmt(t.sms.receiptStep, { state: e.type.slice('receipt:'.length) })
                  : e.details === null && t.sms.statuses[e.type]
                    ? // The message's own status after its parts changed, not another step of a part.
                      fmt(t.sms.messageStep, { status: t.sms.statuses[e.type] ?? e.type })
                    : (t.sms.stepNames[e.type] ?? t.sms.statuses[e.type] ?? e.type)}
              </td>
              <td className="small">{detailsText(e.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {m.ledger.length > 0 && (
        <>
          <h4>{t.sms.charges}</h4>
          <table aria-label={t.sms.charges}>
            <tbody>
              {m.ledger.map((l) => (
                <tr key={l.id}>
                  <td>{shortTime(l.at)}</td>
                  <td>{t.sms.ledgerKinds[l.kind] ?? l.kind}</td>
                  <td>{currency ? money(l.amount, currency) : l.amount}</td>
                  <td>
                    {t.sms.segments}: {l.segments}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
