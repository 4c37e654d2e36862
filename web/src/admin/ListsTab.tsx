import { useState } from 'react';
import { ApiError } from '../api';
import { useApp } from '../context';
import { useT } from '../i18n';
import type { Customer } from '../types';
import { Form, useList, useSubmit } from './common';

type Flag = 'blacklisted' | 'vip';

/** One list (blacklist or VIP) by phone number: a number nobody owns yet becomes a customer. */
function NumberList(props: { flag: Flag; title: string }) {
  const t = useT();
  const { api, fail } = useApp();
  const submit = useSubmit();
  const [members, reload] = useList<Customer>(`/customers?${props.flag}=true&limit=500`);
  const [number, setNumber] = useState('');
  const add = () => {
    const n = number.trim();
    api.get<Customer>(`/customers/lookup?number=${encodeURIComponent(n)}`).then(
      (c) =>
        submit(api.patch(`/customers/${c.id}`, { [props.flag]: true }), () => {
          setNumber('');
          reload();
        }),
      (err: unknown) => {
        if (!(err instanceof ApiError && err.code === 'CUSTOMER_NOT_FOUND')) return fail(err);
        submit(api.post('/customers', { name: n, phones: [n], [props.flag]: true }), () => {
          setNumber('');
          reload();
        });
      },
    );
  };
  return (
    <section className="card" aria-label={props.title}>
      <h3>{props.title}</h3>
      <Form onSubmit={add} label={props.title}>
        <label>
          {t.tel.number}
          <input
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            required
            placeholder="+14155550100"
          />
        </label>
        <button type="submit" className="primary">
          {t.tel.add}
        </button>
      </Form>
      <ul>
        {members.map((c) => (
          <li key={c.id}>
            {c.phones.join(', ')} <span className="small">{c.name}</span>{' '}
            <button
              aria-label={`${t.tel.remove} ${c.phones[0] ?? c.name}`}
              onClick={() => submit(api.patch(`/customers/${c.id}`, { [props.flag]: false }), reload)}
            >
              {t.tel.remove}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Blacklist and VIP numbers: the flags the IVR reads (docs/ivr.md, blacklisted and VIP callers). */
export function ListsTab() {
  const t = useT();
  return (
    <>
      <p className="note">{t.tel.listsNote}</p>
      <NumberList flag="blacklisted" title={t.tel.blacklist} />
      <NumberList flag="vip" title={t.tel.vipList} />
    </>
  );
}
