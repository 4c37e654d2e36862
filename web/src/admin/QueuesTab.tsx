import { useState } from 'react';
import { useApp } from '../context';
import { fmt, useT } from '../i18n';
import { STRATEGIES, type BusinessHours, type OverflowRule, type Queue, type Skill } from '../types';
import { Form, useList, useSubmit } from './common';

interface Draft {
  id: string | null;
  name: string;
  requirements: Record<string, number>;
  priority: number;
  strategy: string;
  slTargetPct: number;
  slThresholdSec: number;
  wrapUpSec: number;
  reservationTimeoutSec: number;
  maxWaitSec: string;
  overflow: OverflowRule[];
  open24: boolean;
  timeZone: string;
  from: string;
  to: string;
}

const EMPTY: Draft = {
  id: null,
  name: '',
  requirements: {},
  priority: 0,
  strategy: 'longest_idle',
  slTargetPct: 80,
  slThresholdSec: 20,
  wrapUpSec: 0,
  reservationTimeoutSec: 20,
  maxWaitSec: '',
  overflow: [],
  open24: true,
  timeZone: 'UTC',
  from: '09:00',
  to: '17:00',
};
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

function draftOf(q: Queue): Draft {
  const mon = q.businessHours?.weekly.mon?.[0];
  return {
    id: q.id,
    name: q.name,
    requirements: Object.fromEntries(q.requirements.map((r) => [r.skillId, r.minLevel])),
    priority: q.priority,
    strategy: q.strategy,
    slTargetPct: q.slTargetPct,
    slThresholdSec: q.slThresholdSec,
    wrapUpSec: q.wrapUpSec,
    reservationTimeoutSec: q.reservationTimeoutSec,
    maxWaitSec: q.maxWaitSec === null ? '' : String(q.maxWaitSec),
    overflow: q.overflow,
    open24: q.businessHours === null,
    timeZone: q.businessHours?.timeZone ?? 'UTC',
    from: mon?.from ?? '09:00',
    to: mon?.to ?? '17:00',
  };
}

function bodyOf(d: Draft) {
  const hours: BusinessHours | null = d.open24
    ? null
    : {
        timeZone: d.timeZone,
        weekly: Object.fromEntries(WEEKDAYS.map((w) => [w, [{ from: d.from, to: d.to }]])),
        holidays: [],
      };
  return {
    name: d.name,
    requirements: Object.entries(d.requirements).map(([skillId, minLevel]) => ({ skillId, minLevel })),
    priority: d.priority,
    strategy: d.strategy,
    slTargetPct: d.slTargetPct,
    slThresholdSec: d.slThresholdSec,
    wrapUpSec: d.wrapUpSec,
    reservationTimeoutSec: d.reservationTimeoutSec,
    maxWaitSec: d.maxWaitSec ? Number(d.maxWaitSec) : null,
    overflow: d.overflow,
    businessHours: hours,
  };
}

export function QueuesTab() {
  const t = useT();
  const { api } = useApp();
  const submit = useSubmit();
  const [queues, reload] = useList<Queue>('/queues');
  const [skills] = useList<Skill>('/skills');
  const [d, setD] = useState<Draft>(EMPTY);
  const [ovSec, setOvSec] = useState(60);
  const [ovQueue, setOvQueue] = useState('');
  const num = (k: keyof Draft) => (e: { target: { value: string } }) =>
    setD({ ...d, [k]: Number(e.target.value) });
  const save = () =>
    submit(d.id ? api.patch(`/queues/${d.id}`, bodyOf(d)) : api.post('/queues', bodyOf(d)), () => {
      setD(EMPTY);
      reload();
    });
  const queueName = (id: string) => queues.find((q) => q.id === id)?.name ?? id;
  const ruleText = (r: OverflowRule) =>
    r.action === 'move'
      ? fmt(t.admin.overflowMove, { sec: r.afterSec, queue: queueName(r.toQueueId) })
      : fmt(t.admin.overflowWiden, { sec: r.afterSec });

  return (
    <>
      <Form onSubmit={save} label={t.admin.tabs.queues}>
        <label>
          {t.admin.name}
          <input
            name="queueName"
            value={d.name}
            onChange={(e) => setD({ ...d, name: e.target.value })}
            required
          />
        </label>
        <label>
          {t.admin.strategy}
          <select value={d.strategy} onChange={(e) => setD({ ...d, strategy: e.target.value })}>
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {t.admin.strategies[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.admin.queuePriority}
          <input type="number" min={-100} max={100} value={d.priority} onChange={num('priority')} />
        </label>
        <label>
          {t.admin.slTarget}
          <input type="number" min={1} max={100} value={d.slTargetPct} onChange={num('slTargetPct')} />
        </label>
        <label>
          {t.admin.slThreshold}
          <input type="number" min={1} max={3600} value={d.slThresholdSec} onChange={num('slThresholdSec')} />
        </label>
        <label>
          {t.admin.wrapUpSec}
          <input type="number" min={0} max={3600} value={d.wrapUpSec} onChange={num('wrapUpSec')} />
        </label>
        <label>
          {t.admin.reservationTimeout}
          <input
            type="number"
            min={1}
            max={600}
            value={d.reservationTimeoutSec}
            onChange={num('reservationTimeoutSec')}
          />
        </label>
        <label>
          {t.admin.maxWait}
          <input
            type="number"
            min={1}
            value={d.maxWaitSec}
            onChange={(e) => setD({ ...d, maxWaitSec: e.target.value })}
          />
        </label>
        <fieldset>
          <legend>{t.admin.requirements}</legend>
          {skills.map((s) => (
            <label key={s.id} className="check">
              <input
                type="checkbox"
                checked={d.requirements[s.id] !== undefined}
                onChange={(e) => {
                  const next = { ...d.requirements };
                  if (e.target.checked) next[s.id] = 1;
                  else delete next[s.id];
                  setD({ ...d, requirements: next });
                }}
              />
              {s.name}
              {d.requirements[s.id] !== undefined && (
                <input
                  type="number"
                  aria-label={`${s.name} min level`}
                  min={1}
                  max={10}
                  value={d.requirements[s.id]}
                  onChange={(e) =>
                    setD({ ...d, requirements: { ...d.requirements, [s.id]: Number(e.target.value) } })
                  }
                />
              )}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t.admin.overflow}</legend>
          {d.overflow.map((r, i) => (
            <div key={i}>
              {ruleText(r)}{' '}
              <button
                type="button"
                onClick={() => setD({ ...d, overflow: d.overflow.filter((_, j) => j !== i) })}
              >
                ×
              </button>
            </div>
          ))}
          <label className="check">
            {t.admin.addOverflow}
            <input type="number" min={1} value={ovSec} onChange={(e) => setOvSec(Number(e.target.value))} />
            <select value={ovQueue} onChange={(e) => setOvQueue(e.target.value)}>
              <option value="" />
              {queues
                .filter((q) => q.id !== d.id)
                .map((q) => (
                  <option key={q.id} value={q.id}>
                    {q.name}
                  </option>
                ))}
            </select>
            <button
              type="button"
              disabled={!ovQueue}
              onClick={() =>
                setD({
                  ...d,
                  overflow: [
                    ...d.overflow,
                    { afterSec: ovSec, action: 'move' as const, toQueueId: ovQueue },
                  ].sort((a, b) => a.afterSec - b.afterSec),
                })
              }
            >
              +
            </button>
          </label>
        </fieldset>
        <fieldset>
          <legend>{t.admin.businessHours}</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={d.open24}
              onChange={(e) => setD({ ...d, open24: e.target.checked })}
            />
            {t.admin.alwaysOpen}
          </label>
          {!d.open24 && (
            <label className="check">
              {t.admin.hoursFields}
              <input value={d.timeZone} onChange={(e) => setD({ ...d, timeZone: e.target.value })} />
              <input type="time" value={d.from} onChange={(e) => setD({ ...d, from: e.target.value })} />
              <input type="time" value={d.to} onChange={(e) => setD({ ...d, to: e.target.value })} />
            </label>
          )}
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
            <th>{t.admin.name}</th>
            <th>{t.admin.strategy}</th>
            <th>{t.admin.requirements}</th>
            <th>SLA</th>
            <th>{t.admin.overflow}</th>
            <th>{t.admin.businessHours}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => (
            <tr key={q.id} data-testid="queue-row">
              <td>{q.name}</td>
              <td>{t.admin.strategies[q.strategy] ?? q.strategy}</td>
              <td>
                {q.requirements
                  .map((r) => `${skills.find((s) => s.id === r.skillId)?.name ?? r.skillId} ≥ ${r.minLevel}`)
                  .join(', ')}
              </td>
              <td>
                {q.slTargetPct}% / {q.slThresholdSec}s
              </td>
              <td>{q.overflow.map(ruleText).join('; ')}</td>
              <td>{q.businessHours ? q.businessHours.timeZone : t.admin.alwaysOpen}</td>
              <td>
                <button onClick={() => setD(draftOf(q))}>{t.app.edit}</button>{' '}
                <button onClick={() => submit(api.del(`/queues/${q.id}`), reload)}>{t.app.delete}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
