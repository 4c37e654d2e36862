import { useState } from 'react';
import { useApp } from '../context';
import { useT } from '../i18n';
import { CHANNELS, type Agent, type Skill, type Team, type User } from '../types';
import { Form, useList, useSubmit } from './common';

interface Draft {
  id: string | null;
  userId: string;
  teamId: string;
  skills: Record<string, number>;
  capacity: Record<string, number>;
}
const EMPTY: Draft = {
  id: null,
  userId: '',
  teamId: '',
  skills: {},
  capacity: { voice: 1, chat: 3, email: 5, sms: 3 },
};

export function AgentsTab() {
  const t = useT();
  const { api } = useApp();
  const submit = useSubmit();
  const [agents, reload] = useList<Agent>('/agents');
  const [users] = useList<User>('/users');
  const [teams] = useList<Team>('/teams');
  const [skills] = useList<Skill>('/skills');
  const [d, setD] = useState<Draft>(EMPTY);
  const free = users.filter((u) => !agents.some((a) => a.userId === u.id));
  const save = () => {
    const settings = { teamId: d.teamId || null, skills: d.skills, capacity: d.capacity };
    const p = d.id
      ? api.patch(`/agents/${d.id}`, settings)
      : api.post('/agents', { userId: d.userId, ...settings });
    submit(p, () => {
      setD(EMPTY);
      reload();
    });
  };
  const skillName = (id: string) => skills.find((s) => s.id === id)?.name ?? id;
  return (
    <>
      <Form onSubmit={save} label={t.admin.tabs.agents}>
        <label>
          {t.admin.user}
          {d.id ? (
            <input value={agents.find((a) => a.id === d.id)?.displayName ?? ''} disabled />
          ) : (
            <select value={d.userId} onChange={(e) => setD({ ...d, userId: e.target.value })} required>
              <option value="" />
              {free.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName} ({u.username})
                </option>
              ))}
            </select>
          )}
        </label>
        <label>
          {t.admin.team}
          <select value={d.teamId} onChange={(e) => setD({ ...d, teamId: e.target.value })}>
            <option value="">{t.admin.noTeam}</option>
            {teams.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t.admin.skills}</legend>
          {skills.map((s) => (
            <label key={s.id} className="check">
              <input
                type="checkbox"
                checked={d.skills[s.id] !== undefined}
                onChange={(e) => {
                  const next = { ...d.skills };
                  if (e.target.checked) next[s.id] = 5;
                  else delete next[s.id];
                  setD({ ...d, skills: next });
                }}
              />
              {s.name}
              {d.skills[s.id] !== undefined && (
                <input
                  type="number"
                  aria-label={`${s.name} level`}
                  min={1}
                  max={10}
                  value={d.skills[s.id]}
                  onChange={(e) => setD({ ...d, skills: { ...d.skills, [s.id]: Number(e.target.value) } })}
                />
              )}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t.admin.capacity}</legend>
          {CHANNELS.map((c) => (
            <label key={c} className="check">
              {t.channels[c]}
              <input
                type="number"
                min={0}
                max={100}
                value={d.capacity[c] ?? 0}
                onChange={(e) => setD({ ...d, capacity: { ...d.capacity, [c]: Number(e.target.value) } })}
              />
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary">
          {d.id ? t.app.save : t.app.create}
        </button>
        {d.id && (
          <button type="button" onClick={() => setD(EMPTY)}>
            {t.app.cancel}
          </button>
        )}
      </Form>
      <table>
        <thead>
          <tr>
            <th>{t.admin.displayName}</th>
            <th>{t.admin.team}</th>
            <th>{t.admin.skills}</th>
            <th>{t.admin.capacity}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <tr key={a.id}>
              <td>{a.displayName}</td>
              <td>{teams.find((x) => x.id === a.teamId)?.name ?? t.app.none}</td>
              <td>
                {Object.entries(a.skills)
                  .map(([id, lvl]) => `${skillName(id)} ${lvl}`)
                  .join(', ')}
              </td>
              <td>
                {Object.entries(a.capacity)
                  .filter(([, n]) => n > 0)
                  .map(([c, n]) => `${t.channels[c] ?? c} ${n}`)
                  .join(', ')}
              </td>
              <td>
                <button
                  onClick={() =>
                    setD({
                      id: a.id,
                      userId: a.userId,
                      teamId: a.teamId ?? '',
                      skills: a.skills,
                      capacity: a.capacity,
                    })
                  }
                >
                  {t.app.edit}
                </button>{' '}
                <button onClick={() => submit(api.del(`/agents/${a.id}`), reload)}>{t.app.delete}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
