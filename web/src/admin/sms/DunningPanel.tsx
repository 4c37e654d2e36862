import { useState } from 'react';
import { useApp } from '../../context';
import { fmt, useT } from '../../i18n';
import { shortTime } from '../../util';
import { Form, useList, useSubmit } from '../common';
import {
  money,
  toMinor,
  type Account,
  type DunningPlan,
  type DunningPreview,
  type ImportResult,
} from './model';

const EMPTY = {
  id: '',
  name: '',
  accountId: '',
  threshold: '',
  stages: [''],
  maxPerPeriod: '2',
  periodDays: '30',
  minIntervalHours: '72',
  windowFrom: '',
  windowTo: '',
  from: '',
};
type Draft = typeof EMPTY;

/** Dunning plans: the rules (create and edit), arrears import, a preview and a run. */
export function DunningPanel() {
  const t = useT();
  const { api } = useApp();
  const submit = useSubmit();
  const [plans, reload] = useList<DunningPlan>('/sms/dunning/plans');
  const [accounts] = useList<Account>('/sms/accounts');
  const [d, setD] = useState<Draft>(EMPTY);
  const [openId, setOpenId] = useState<string | null>(null);
  const currencyOf = (accountId: string) => accounts.find((a) => a.id === accountId)?.currency ?? 'EUR';

  const save = () => {
    const currency = currencyOf(d.accountId);
    const body = {
      name: d.name,
      accountId: d.accountId,
      thresholdMinor: toMinor(d.threshold || '0', currency),
      stages: d.stages.map((s) => s.trim()).filter(Boolean),
      maxPerPeriod: Number(d.maxPerPeriod),
      periodDays: Number(d.periodDays),
      minIntervalHours: Number(d.minIntervalHours),
      window: d.windowFrom && d.windowTo ? { from: d.windowFrom, to: d.windowTo } : null,
      from: d.from || null,
    };
    submit(d.id ? api.put(`/sms/dunning/plans/${d.id}`, body) : api.post('/sms/dunning/plans', body), () => {
      setD(EMPTY);
      reload();
    });
  };
  const edit = (p: DunningPlan) => {
    const digits = money(p.thresholdMinor, p.currency).split(' ')[0] ?? '0';
    setD({
      id: p.id,
      name: p.name,
      accountId: p.accountId,
      threshold: digits,
      stages: p.stages.length ? p.stages : [''],
      maxPerPeriod: String(p.maxPerPeriod),
      periodDays: String(p.periodDays),
      minIntervalHours: String(p.minIntervalHours),
      windowFrom: p.window?.from ?? '',
      windowTo: p.window?.to ?? '',
      from: p.sender ?? '',
    });
  };
  const setStage = (i: number, v: string) =>
    setD({ ...d, stages: d.stages.map((s, j) => (j === i ? v : s)) });

  return (
    <div className="sms-dunning">
      <Form onSubmit={save} label={d.id ? t.sms.editPlan : t.sms.newPlan}>
        <label>
          {t.sms.name}
          <input value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} required />
        </label>
        <label>
          {t.sms.account}
          <select value={d.accountId} onChange={(e) => setD({ ...d, accountId: e.target.value })} required>
            <option value="" />
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {fmt(t.sms.threshold, { currency: currencyOf(d.accountId) })}
          <input
            inputMode="decimal"
            value={d.threshold}
            onChange={(e) => setD({ ...d, threshold: e.target.value })}
            placeholder="10.00"
          />
        </label>
        <label>
          {t.sms.maxPerPeriod}
          <input
            type="number"
            min={1}
            max={100}
            value={d.maxPerPeriod}
            onChange={(e) => setD({ ...d, maxPerPeriod: e.target.value })}
            required
          />
        </label>
        <label>
          {t.sms.periodDays}
          <input
            type="number"
            min={1}
            max={366}
            value={d.periodDays}
            onChange={(e) => setD({ ...d, periodDays: e.target.value })}
            required
          />
        </label>
        <label>
          {t.sms.minIntervalHours}
          <input
            type="number"
            min={0}
            value={d.minIntervalHours}
            onChange={(e) => setD({ ...d, minIntervalHours: e.target.value })}
            required
          />
        </label>
        <label>
          {t.sms.windowFrom}
          <input
            type="time"
            value={d.windowFrom}
            onChange={(e) => setD({ ...d, windowFrom: e.target.value })}
          />
        </label>
        <label>
          {t.sms.windowTo}
          <input type="time" value={d.windowTo} onChange={(e) => setD({ ...d, windowTo: e.target.value })} />
        </label>
        <label>
          {t.sms.senderId}
          <input
            value={d.from}
            onChange={(e) => setD({ ...d, from: e.target.value })}
            placeholder={t.sms.default}
          />
        </label>
        <fieldset className="wide">
          <legend>{t.sms.stages}</legend>
          <p className="muted small">{t.sms.stagesHint}</p>
          {d.stages.map((s, i) => (
            <div key={i} className="form-row">
              <label className="wide">
                {fmt(t.sms.stage, { n: i + 1 })}
                <textarea
                  rows={2}
                  value={s}
                  onChange={(e) => setStage(i, e.target.value)}
                  required={i === 0}
                />
              </label>
              {d.stages.length > 1 && (
                <button
                  type="button"
                  onClick={() => setD({ ...d, stages: d.stages.filter((_, j) => j !== i) })}
                  aria-label={fmt(t.sms.removeStage, { n: i + 1 })}
                >
                  {t.tel.remove}
                </button>
              )}
            </div>
          ))}
          {d.stages.length < 10 && (
            <button type="button" onClick={() => setD({ ...d, stages: [...d.stages, ''] })}>
              {t.sms.addStage}
            </button>
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
      <div className="scroll-x">
        <table aria-label={t.sms.plans}>
          <thead>
            <tr>
              <th>{t.sms.name}</th>
              <th>{t.sms.account}</th>
              <th>{t.sms.rules}</th>
              <th>{t.sms.stages}</th>
              <th>{t.sms.actions}</th>
            </tr>
          </thead>
          <tbody>
            {plans.map((p) => (
              <tr key={p.id} data-testid="dunning-plan-row" data-plan={p.name}>
                <td>{p.name}</td>
                <td>{accounts.find((a) => a.id === p.accountId)?.name ?? ''}</td>
                <td className="small">
                  {fmt(t.sms.rulesLine, {
                    threshold: money(p.thresholdMinor, p.currency),
                    max: p.maxPerPeriod,
                    days: p.periodDays,
                    hours: p.minIntervalHours,
                  })}
                  {p.window && ` · ${p.window.from}–${p.window.to}`}
                </td>
                <td className="small clip" title={p.stages.join('\n')}>
                  {fmt(t.sms.stagesCount, { n: p.stages.length })}: {p.stages[0]}
                </td>
                <td className="actions">
                  <button onClick={() => edit(p)} aria-label={`${t.app.edit} ${p.name}`}>
                    {t.app.edit}
                  </button>{' '}
                  <button
                    onClick={() => setOpenId(openId === p.id ? null : p.id)}
                    aria-expanded={openId === p.id}
                    aria-label={`${t.sms.arrearsAndRuns} ${p.name}`}
                  >
                    {t.sms.arrearsAndRuns}
                  </button>
                </td>
              </tr>
            ))}
            {plans.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  {t.sms.noPlans}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {openId && plans.some((p) => p.id === openId) && (
        <PlanWork key={openId} plan={plans.find((p) => p.id === openId)!} />
      )}
    </div>
  );
}

/** Import arrears (CSV), preview who gets which notice, and run the plan. */
function PlanWork({ plan }: { plan: DunningPlan }) {
  const t = useT();
  const { api, fail } = useApp();
  const [file, setFile] = useState<File | null>(null);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const [preview, setPreview] = useState<DunningPreview | null>(null);
  const [ran, setRan] = useState<{ notices: number; refused: number } | null>(null);
  const importCsv = () => {
    if (!file) return;
    api
      .postBlob<ImportResult>(`/sms/dunning/plans/${plan.id}/arrears/csv`, file, 'text/csv')
      .then(setImported, fail);
  };
  const doPreview = () => {
    setRan(null);
    api.get<DunningPreview>(`/sms/dunning/plans/${plan.id}/preview`).then(setPreview, fail);
  };
  const run = () =>
    api.post<DunningPreview & { refused: unknown[] }>(`/sms/dunning/plans/${plan.id}/run`).then((r) => {
      setRan({ notices: r.totals.notices, refused: r.refused.length });
      setPreview(null);
    }, fail);
  return (
    <section className="card" aria-label={`${t.sms.arrearsAndRuns} ${plan.name}`}>
      <h3>{plan.name}</h3>
      <Form onSubmit={importCsv} label={t.sms.importArrears}>
        <label>
          {t.sms.arrearsCsv}
          <input
            type="file"
            accept=".csv,text/csv"
            aria-describedby="sms-arrears-hint"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            required
          />
        </label>
        <span id="sms-arrears-hint" className="muted small">
          {t.sms.arrearsHint}
        </span>
        <button type="submit" className="primary">
          {t.sms.import}
        </button>
        <button type="button" onClick={doPreview}>
          {t.sms.preview}
        </button>
      </Form>
      {imported && (
        <div className="note" role="status">
          {fmt(t.sms.imported, {
            accepted: imported.accepted,
            created: imported.created,
            updated: imported.updated,
            rejected: imported.rejected.length,
          })}
          {imported.rejected.length + imported.warnings.length > 0 && (
            <ul>
              {[...imported.rejected, ...imported.warnings].slice(0, 20).map((p, i) => (
                <li key={i}>
                  {fmt(t.sms.importProblem, { line: p.line, field: p.field, reason: p.reason })}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {ran && (
        <div className="note" role="status">
          {fmt(t.sms.ranPlan, { notices: ran.notices, refused: ran.refused })}
        </div>
      )}
      {preview && (
        <>
          <p>
            {fmt(t.sms.previewTotals, {
              notices: preview.totals.notices,
              segments: preview.totals.segments,
              cost: money(preview.totals.cost, plan.currency),
              skipped: preview.skipped.length,
            })}{' '}
            <button className="primary" onClick={() => void run()} disabled={preview.totals.notices === 0}>
              {t.sms.runNow}
            </button>
          </p>
          <table aria-label={t.sms.preview}>
            <thead>
              <tr>
                <th>{t.sms.reference}</th>
                <th>{t.sms.number}</th>
                <th>{t.sms.level}</th>
                <th>{t.sms.text}</th>
                <th>{t.sms.cost}</th>
                <th>{t.sms.sendAt}</th>
              </tr>
            </thead>
            <tbody>
              {preview.notices.map((n) => (
                <tr key={n.debtorId}>
                  <td>
                    {n.reference} <span className="muted small">{n.name}</span>
                  </td>
                  <td>{n.phone}</td>
                  <td>{n.level}</td>
                  <td className="small">{n.text}</td>
                  <td>{money(n.cost, plan.currency)}</td>
                  <td>
                    {shortTime(n.sendAt)}
                    {n.deferred && ` (${t.sms.deferred})`}
                  </td>
                </tr>
              ))}
              {preview.skipped.map((s) => (
                <tr key={s.debtorId} className="muted">
                  <td>{s.reference}</td>
                  <td colSpan={5}>{t.sms.skipReasons[s.reason] ?? s.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
