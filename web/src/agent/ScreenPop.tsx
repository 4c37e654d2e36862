import { useEffect, useState } from 'react';
import { useApp } from '../context';
import { useT } from '../i18n';
import { shortTime } from '../util';
import type { Customer, Interaction } from '../types';
import { CallButton } from './DialOut';

/** The customer behind an interaction (by id, else by the number it came from) and their history. */
export function ScreenPop({ interaction }: { interaction: Interaction }) {
  const { api } = useApp();
  const t = useT();
  const [customer, setCustomer] = useState<Customer | null | undefined>(undefined);
  const [history, setHistory] = useState<Interaction[]>([]);
  const { customerId, fromAddress } = interaction;

  useEffect(() => {
    let gone = false;
    const found = customerId
      ? api.get<Customer>(`/customers/${customerId}`)
      : fromAddress && /^[+\d\s().-]+$/.test(fromAddress)
        ? api.get<Customer>(`/customers/lookup?number=${encodeURIComponent(fromAddress)}`)
        : Promise.reject(new Error('no number'));
    found.then(
      (c) => {
        if (gone) return;
        setCustomer(c);
        api.get<Interaction[]>(`/customers/${c.id}/interactions?limit=20`).then(
          (h) => !gone && setHistory(h),
          () => undefined,
        );
      },
      () => !gone && setCustomer(null),
    );
    return () => {
      gone = true;
    };
  }, [api, customerId, fromAddress]);

  if (customer === undefined) return <p className="muted">{t.app.loading}</p>;
  if (customer === null) {
    return (
      <div className="screenpop card" data-testid="screen-pop">
        <h3>{t.agent.unknownCustomer}</h3>
      </div>
    );
  }
  const earlier = history.filter((h) => h.id !== interaction.id);
  return (
    <div className={`screenpop card${customer.blacklisted ? ' blacklisted' : ''}`} data-testid="screen-pop">
      <h3>
        <span data-testid="customer-name">{customer.name}</span>
        {customer.vip && <span className="mark vip">{t.agent.vip}</span>}
        {customer.blacklisted && <span className="mark black">{t.agent.blacklisted}</span>}
      </h3>
      <dl className="facts">
        {customer.phones.length > 0 && (
          <>
            <dt>{t.agent.phones}</dt>
            <dd>
              {customer.phones.join(', ')} {customer.phones[0] && <CallButton number={customer.phones[0]} />}
            </dd>
          </>
        )}
        {customer.emails.length > 0 && (
          <>
            <dt>{t.agent.emails}</dt>
            <dd>{customer.emails.join(', ')}</dd>
          </>
        )}
        {customer.tags.length > 0 && (
          <>
            <dt>{t.agent.tags}</dt>
            <dd>{customer.tags.join(', ')}</dd>
          </>
        )}
      </dl>
      <h4>{t.agent.history}</h4>
      {earlier.length === 0 ? (
        <p className="muted">{t.agent.historyEmpty}</p>
      ) : (
        <table className="history">
          <tbody>
            {earlier.map((h) => (
              <tr key={h.id}>
                <td>{shortTime(h.createdAt)}</td>
                <td>{t.channels[h.channel] ?? h.channel}</td>
                <td>{h.subject ?? ''}</td>
                <td>{h.wrapUpCode ?? h.outcome ?? t.phases[h.status] ?? h.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
