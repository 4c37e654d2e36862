import { useEffect, useState } from 'react';
import { useApp } from '../context';
import { useT } from '../i18n';
import { shortTime } from '../util';
import type { AuditEntry } from '../types';

export function AuditTab() {
  const t = useT();
  const { api, fail } = useApp();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const load = (beforeId?: number) => {
    api
      .get<AuditEntry[]>(`/audit?limit=50${beforeId ? `&beforeId=${beforeId}` : ''}`)
      .then((xs) => setEntries((cur) => (beforeId ? [...cur, ...xs] : xs)), fail);
  };
  useEffect(() => load(), []);
  const last = entries[entries.length - 1];
  return (
    <>
      <table>
        <thead>
          <tr>
            <th>{t.admin.at}</th>
            <th>{t.admin.actor}</th>
            <th>{t.admin.action}</th>
            <th>{t.admin.target}</th>
            <th>{t.admin.details}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{shortTime(e.at)}</td>
              <td>{e.actorName ?? e.actorType}</td>
              <td>{e.action}</td>
              <td>{e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : ''}</td>
              <td className="small">{e.details ? JSON.stringify(e.details) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {last && entries.length % 50 === 0 && <button onClick={() => load(last.id)}>{t.admin.older}</button>}
    </>
  );
}
