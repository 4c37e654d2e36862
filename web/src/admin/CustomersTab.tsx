import { useState } from 'react';
import { useApp } from '../context';
import { useT } from '../i18n';
import type { Customer } from '../types';
import { Form, useList, useSubmit } from './common';

export function CustomersTab() {
  const t = useT();
  const { api } = useApp();
  const submit = useSubmit();
  const [q, setQ] = useState('');
  const [customers, reload] = useList<Customer>(
    `/customers?limit=100${q ? `&q=${encodeURIComponent(q)}` : ''}`,
  );
  const [f, setF] = useState({ name: '', phones: '', vip: false, blacklisted: false });
  const create = () =>
    submit(
      api.post('/customers', {
        name: f.name,
        phones: f.phones
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
        vip: f.vip,
        blacklisted: f.blacklisted,
      }),
      () => {
        setF({ name: '', phones: '', vip: false, blacklisted: false });
        reload();
      },
    );
  const toggle = (c: Customer, field: 'vip' | 'blacklisted') =>
    submit(api.patch(`/customers/${c.id}`, { [field]: !c[field] }), reload);
  return (
    <>
      <Form onSubmit={create} label={t.admin.tabs.customers}>
        <label>
          {t.admin.name}
          <input value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} required />
        </label>
        <label>
          {t.admin.phones}
          <input value={f.phones} onChange={(e) => setF({ ...f, phones: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={f.vip} onChange={(e) => setF({ ...f, vip: e.target.checked })} />
          {t.admin.vip}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={f.blacklisted}
            onChange={(e) => setF({ ...f, blacklisted: e.target.checked })}
          />
          {t.admin.blacklisted}
        </label>
        <button type="submit" className="primary">
          {t.app.create}
        </button>
      </Form>
      <input
        type="search"
        aria-label={t.admin.search}
        placeholder={t.admin.search}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      <table>
        <thead>
          <tr>
            <th>{t.admin.name}</th>
            <th>{t.admin.phones}</th>
            <th>{t.admin.vip}</th>
            <th>{t.admin.blacklisted}</th>
          </tr>
        </thead>
        <tbody>
          {customers.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{c.phones.join(', ')}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${t.admin.vip} ${c.name}`}
                  checked={c.vip}
                  onChange={() => toggle(c, 'vip')}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${t.admin.blacklisted} ${c.name}`}
                  checked={c.blacklisted}
                  onChange={() => toggle(c, 'blacklisted')}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
