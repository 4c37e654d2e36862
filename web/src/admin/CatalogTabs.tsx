import { useState } from 'react';
import { useApp } from '../context';
import { useT } from '../i18n';
import type { ReasonCode, Skill, Team, User } from '../types';
import { Form, useList, useSubmit } from './common';

export function TeamsTab() {
  const t = useT();
  const { api } = useApp();
  const submit = useSubmit();
  const [teams, reload] = useList<Team>('/teams');
  const [users] = useList<User>('/users');
  const supervisors = users.filter((u) => u.role === 'supervisor');
  const [name, setName] = useState('');
  const [sups, setSups] = useState<string[]>([]);
  const nameOf = (id: string) => users.find((u) => u.id === id)?.displayName ?? id;
  return (
    <>
      <Form
        label={t.admin.tabs.teams}
        onSubmit={() =>
          submit(api.post('/teams', { name, supervisorIds: sups }), () => {
            setName('');
            setSups([]);
            reload();
          })
        }
      >
        <label>
          {t.admin.name}
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <fieldset>
          <legend>{t.admin.supervisors}</legend>
          {supervisors.map((u) => (
            <label key={u.id} className="check">
              <input
                type="checkbox"
                checked={sups.includes(u.id)}
                onChange={(e) => setSups(e.target.checked ? [...sups, u.id] : sups.filter((x) => x !== u.id))}
              />
              {u.displayName}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary">
          {t.app.create}
        </button>
      </Form>
      <table>
        <thead>
          <tr>
            <th>{t.admin.name}</th>
            <th>{t.admin.supervisors}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {teams.map((x) => (
            <tr key={x.id}>
              <td>{x.name}</td>
              <td>{x.supervisorIds.map(nameOf).join(', ')}</td>
              <td>
                <button onClick={() => submit(api.del(`/teams/${x.id}`), reload)}>{t.app.delete}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function SkillsTab() {
  const t = useT();
  const { api } = useApp();
  const submit = useSubmit();
  const [skills, reload] = useList<Skill>('/skills');
  const [name, setName] = useState('');
  return (
    <>
      <Form
        label={t.admin.tabs.skills}
        onSubmit={() =>
          submit(api.post('/skills', { name }), () => {
            setName('');
            reload();
          })
        }
      >
        <label>
          {t.admin.name}
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <button type="submit" className="primary">
          {t.app.create}
        </button>
      </Form>
      <ul>
        {skills.map((s) => (
          <li key={s.id}>{s.name}</li>
        ))}
      </ul>
    </>
  );
}

export function CodesTab() {
  const t = useT();
  const { api } = useApp();
  const submit = useSubmit();
  const [codes, reload] = useList<ReasonCode>('/reason-codes');
  const [f, setF] = useState({ kind: 'not_ready' as ReasonCode['kind'], code: '', label: '' });
  return (
    <>
      <Form
        label={t.admin.tabs.codes}
        onSubmit={() =>
          submit(api.post('/reason-codes', f), () => {
            setF({ ...f, code: '', label: '' });
            reload();
          })
        }
      >
        <label>
          {t.admin.kind}
          <select value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as ReasonCode['kind'] })}>
            <option value="not_ready">{t.admin.kinds.not_ready}</option>
            <option value="wrap_up">{t.admin.kinds.wrap_up}</option>
          </select>
        </label>
        <label>
          {t.admin.code}
          <input
            value={f.code}
            pattern="[a-z0-9_.\-]+"
            onChange={(e) => setF({ ...f, code: e.target.value })}
            required
          />
        </label>
        <label>
          {t.admin.label}
          <input value={f.label} onChange={(e) => setF({ ...f, label: e.target.value })} required />
        </label>
        <button type="submit" className="primary">
          {t.app.create}
        </button>
      </Form>
      <table>
        <thead>
          <tr>
            <th>{t.admin.kind}</th>
            <th>{t.admin.code}</th>
            <th>{t.admin.label}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {codes.map((c) => (
            <tr key={c.id}>
              <td>{t.admin.kinds[c.kind]}</td>
              <td>{c.code}</td>
              <td>{c.label}</td>
              <td>
                <button onClick={() => submit(api.del(`/reason-codes/${c.id}`), reload)}>
                  {t.app.delete}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
