import { useState } from 'react';
import { useApp } from '../context';
import { useT } from '../i18n';
import type { Role, User } from '../types';
import { Form, useList, useSubmit } from './common';

const ROLES: Role[] = ['agent', 'supervisor', 'admin'];

export function UsersTab() {
  const t = useT();
  const { api } = useApp();
  const submit = useSubmit();
  const [users, reload] = useList<User>('/users');
  const [f, setF] = useState({ username: '', displayName: '', role: 'agent' as Role, password: '' });
  const create = () =>
    submit(api.post('/users', f), () => {
      setF({ username: '', displayName: '', role: 'agent', password: '' });
      reload();
    });
  return (
    <>
      <Form onSubmit={create} label={t.admin.tabs.users}>
        <label>
          {t.admin.username}
          <input value={f.username} onChange={(e) => setF({ ...f, username: e.target.value })} required />
        </label>
        <label>
          {t.admin.displayName}
          <input
            value={f.displayName}
            onChange={(e) => setF({ ...f, displayName: e.target.value })}
            required
          />
        </label>
        <label>
          {t.admin.role}
          <select value={f.role} onChange={(e) => setF({ ...f, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t.admin.roles[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.admin.password}
          <input
            type="password"
            minLength={8}
            value={f.password}
            onChange={(e) => setF({ ...f, password: e.target.value })}
            required
          />
        </label>
        <button type="submit" className="primary">
          {t.app.create}
        </button>
      </Form>
      <table>
        <thead>
          <tr>
            <th>{t.admin.username}</th>
            <th>{t.admin.displayName}</th>
            <th>{t.admin.role}</th>
            <th>{t.admin.disabled}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td>{u.displayName}</td>
              <td>
                <select
                  aria-label={`${t.admin.role} ${u.username}`}
                  value={u.role}
                  onChange={(e) => submit(api.patch(`/users/${u.id}`, { role: e.target.value }), reload)}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t.admin.roles[r]}
                    </option>
                  ))}
                </select>
              </td>
              <td>{u.disabled ? t.app.yes : t.app.no}</td>
              <td>
                <button
                  onClick={() => submit(api.patch(`/users/${u.id}`, { disabled: !u.disabled }), reload)}
                >
                  {u.disabled ? t.admin.enable : t.admin.disable}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
