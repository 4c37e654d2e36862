import { useState } from 'react';
import { useApp } from '../../context';
import { useT } from '../../i18n';
import type { BusinessHours } from '../../types';
import { Form, useList, useSubmit } from '../common';
import type { FlowSummary } from './IvrFlowsTab';
import { TrunksPanel } from './TrunksPanel';

interface Override {
  when: 'open' | 'closed' | 'holiday';
  hours: BusinessHours;
  flowId: string;
}
interface IvrNumber {
  id: string;
  dnis: string;
  flowId: string;
  overrides: Override[];
  description: string | null;
}
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
const EMPTY = {
  id: '',
  dnis: '',
  flowId: '',
  afterFlowId: '',
  timeZone: 'UTC',
  from: '09:00',
  to: '17:00',
  description: '',
};

/** Dialed numbers → flows (with an after-hours flow), and the SIP trunks that bring the calls. */
export function NumbersTab() {
  const t = useT();
  const { api } = useApp();
  const submit = useSubmit();
  const [numbers, reload] = useList<IvrNumber>('/ivr/numbers');
  const [flows] = useList<FlowSummary>('/ivr/flows');
  const [d, setD] = useState(EMPTY);
  const flowName = (id: string | undefined) => (id ? (flows.find((f) => f.id === id)?.name ?? id) : '');
  const save = () => {
    const hours: BusinessHours = {
      timeZone: d.timeZone,
      weekly: Object.fromEntries(WEEKDAYS.map((w) => [w, [{ from: d.from, to: d.to }]])),
      holidays: [],
    };
    const body = {
      dnis: d.dnis,
      flowId: d.flowId,
      overrides: d.afterFlowId ? [{ when: 'closed', hours, flowId: d.afterFlowId }] : [],
      description: d.description || null,
    };
    submit(d.id ? api.put(`/ivr/numbers/${d.id}`, body) : api.post('/ivr/numbers', body), () => {
      setD(EMPTY);
      reload();
    });
  };
  const edit = (n: IvrNumber) => {
    const closed = n.overrides.find((o) => o.when === 'closed');
    const mon = closed?.hours.weekly.mon?.[0];
    setD({
      id: n.id,
      dnis: n.dnis,
      flowId: n.flowId,
      afterFlowId: closed?.flowId ?? '',
      timeZone: closed?.hours.timeZone ?? 'UTC',
      from: mon?.from ?? '09:00',
      to: mon?.to ?? '17:00',
      description: n.description ?? '',
    });
  };
  return (
    <>
      <Form onSubmit={save} label={t.tel.numbers}>
        <label>
          {t.tel.dnis}
          <input
            value={d.dnis}
            onChange={(e) => setD({ ...d, dnis: e.target.value })}
            required
            placeholder="+14155550100"
          />
        </label>
        <label>
          {t.tel.flow}
          <select
            aria-label={t.tel.flow}
            value={d.flowId}
            onChange={(e) => setD({ ...d, flowId: e.target.value })}
            required
          >
            <option value="" />
            {flows.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t.tel.afterHours}</legend>
          <label>
            {t.tel.afterHoursFlow}
            <select
              aria-label={t.tel.afterHoursFlow}
              value={d.afterFlowId}
              onChange={(e) => setD({ ...d, afterFlowId: e.target.value })}
            >
              <option value="">{t.tel.none}</option>
              {flows.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
          {d.afterFlowId && (
            <label className="check">
              {t.admin.hoursFields}
              <input
                aria-label={t.tel.timeZone}
                value={d.timeZone}
                onChange={(e) => setD({ ...d, timeZone: e.target.value })}
              />
              <input
                type="time"
                aria-label={t.tel.opens}
                value={d.from}
                onChange={(e) => setD({ ...d, from: e.target.value })}
              />
              <input
                type="time"
                aria-label={t.tel.closes}
                value={d.to}
                onChange={(e) => setD({ ...d, to: e.target.value })}
              />
            </label>
          )}
        </fieldset>
        <label>
          {t.tel.description}
          <input value={d.description} onChange={(e) => setD({ ...d, description: e.target.value })} />
        </label>
        <button type="submit" className="primary">
          {d.id ? t.app.save : t.app.create}
        </button>
        {d.id && (
          <button type="button" onClick={() => setD(EMPTY)}>
            {t.app.cancel}
          </button>
        )}
      </Form>
      <table aria-label={t.tel.numbers}>
        <thead>
          <tr>
            <th>{t.tel.dnis}</th>
            <th>{t.tel.flow}</th>
            <th>{t.tel.afterHoursFlow}</th>
            <th>{t.tel.description}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {numbers.map((n) => (
            <tr key={n.id} data-testid="ivr-number-row">
              <td>{n.dnis}</td>
              <td>{flowName(n.flowId)}</td>
              <td>{flowName(n.overrides.find((o) => o.when === 'closed')?.flowId)}</td>
              <td>{n.description ?? ''}</td>
              <td>
                <button onClick={() => edit(n)}>{t.tel.edit}</button>
                <button onClick={() => submit(api.del(`/ivr/numbers/${n.id}`), reload)}>
                  {t.app.delete}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <TrunksPanel />
    </>
  );
}
