import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../../context';
import { errorText, fmt, useT } from '../../i18n';
import { shortTime } from '../../util';
import { Form, useList } from '../common';
import type { Account, Campaign, Progress, RecipientError } from './model';

const LIMIT = 20;
type Action = 'start' | 'pause' | 'resume' | 'cancel';
/** Which buttons a campaign in each state offers (the server refuses the others). */
const ACTIONS: Record<Campaign['state'], Action[]> = {
  draft: ['start', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  completed: [],
  cancelled: [],
};

/** Campaigns with live progress (sms.campaign.progress events), their controls, and a new one. */
export function CampaignsPanel() {
  const t = useT();
  const { api, events, fail } = useApp();
  const [list, setList] = useState<Campaign[]>([]);
  const load = useCallback(() => {
    api.get<Campaign[]>(`/sms/campaigns?limit=${LIMIT}`).then((cs) => {
      setList(cs);
      // The list has no progress; each campaign's view has, and events keep it current afterwards.
      for (const c of cs) {
        api.get<Campaign>(`/sms/campaigns/${c.id}`).then(
          (v) => setList((l) => l.map((x) => (x.id === v.id ? { ...x, ...v } : x))),
          () => undefined,
        );
      }
    }, fail);
  }, [api, fail]);
  useEffect(() => load(), [load]);
  useEffect(
    () =>
      events.subscribe((e) => {
        if (e.type === 'resync') load();
        if (e.type !== 'sms.campaign.progress') return;
        const p = e.data as { id: string; state: Campaign['state']; progress: Progress };
        setList((l) => {
          if (!l.some((c) => c.id === p.id)) {
            load();
            return l;
          }
          return l.map((c) => (c.id === p.id ? { ...c, state: p.state, progress: p.progress } : c));
        });
      }),
    [events, load],
  );
  const act = (c: Campaign, action: Action) =>
    api
      .post<Campaign>(`/sms/campaigns/${c.id}/${action}`)
      .then((v) => setList((l) => l.map((x) => (x.id === v.id ? { ...x, ...v } : x))), fail);

  return (
    <div className="sms-campaigns">
      <NewCampaign onCreated={load} />
      <div className="scroll-x">
        <table aria-label={t.sms.campaigns}>
          <thead>
            <tr>
              <th>{t.sms.name}</th>
              <th>{t.sms.state}</th>
              <th>{t.sms.progress}</th>
              <th>{t.sms.type}</th>
              <th>{t.sms.throttle}</th>
              <th>{t.sms.created}</th>
              <th>{t.sms.actions}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.id} data-testid="campaign-row" data-campaign={c.name}>
                <td>
                  <strong>{c.name}</strong>
                  <div className="muted small clip" title={c.template}>
                    {c.sender} · {c.template}
                  </div>
                </td>
                <td>
                  <span className={`badge campaign-${c.state}`} data-testid="campaign-state">
                    {t.sms.campaignStates[c.state] ?? c.state}
                  </span>
                </td>
                <td>
                  <ProgressCell c={c} />
                </td>
                <td>{t.sms.typeNames[c.type] ?? c.type}</td>
                <td>
                  {c.throttlePerSec ? fmt(t.sms.ratePerSec, { n: c.throttlePerSec }) : t.sms.unthrottled}
                </td>
                <td>{shortTime(c.createdAt)}</td>
                <td className="actions">
                  {ACTIONS[c.state].map((a) => (
                    <button
                      key={a}
                      className={a === 'cancel' ? 'danger' : ''}
                      onClick={() => void act(c, a)}
                      aria-label={`${t.sms.campaignActions[a]} ${c.name}`}
                    >
                      {t.sms.campaignActions[a]}
                    </button>
                  ))}
                </td>
              </tr>
            ))}
            {list.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  {t.sms.noCampaigns}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ProgressCell({ c }: { c: Campaign }) {
  const t = useT();
  const p = c.progress;
  if (!p) return <span className="muted">{fmt(t.sms.messagesCount, { n: c.total })}</span>;
  const done = p.delivered + p.failed + p.uncertain + p.cancelled;
  return (
    <div className="campaign-progress" data-testid="campaign-progress">
      <progress max={Math.max(1, p.total)} value={done + p.submitted} aria-label={t.sms.progress} />
      <div className="small">
        {fmt(t.sms.progressLine, {
          delivered: p.delivered,
          submitted: p.submitted,
          queued: p.queued,
          failed: p.failed,
          total: p.total,
        })}
        {p.uncertain > 0 && ` · ${fmt(t.sms.uncertainCount, { n: p.uncertain })}`}
        {p.cancelled > 0 && ` · ${fmt(t.sms.cancelledCount, { n: p.cancelled })}`}
        {c.rejected > 0 && ` · ${fmt(t.sms.refusedCount, { n: c.rejected })}`}
      </div>
    </div>
  );
}

type Audience = 'list' | 'csv' | 'tag';
const EMPTY = {
  name: '',
  template: '',
  type: 'marketing',
  from: '',
  throttle: '',
  accountId: '',
  audience: 'list' as Audience,
  numbers: '',
  tag: '',
  start: true,
};

/** A campaign from a template, to a list of numbers, an uploaded CSV or a customer tag. */
function NewCampaign(props: { onCreated: () => void }) {
  const t = useT();
  const { api, fail } = useApp();
  const [accounts] = useList<Account>('/sms/accounts');
  const [f, setF] = useState(EMPTY);
  const [csv, setCsv] = useState<File | null>(null);
  const [result, setResult] = useState<{ name: string; total: number; rejected: RecipientError[] } | null>(
    null,
  );
  const create = () => {
    const settings = {
      name: f.name,
      template: f.template,
      type: f.type,
      start: f.start,
      ...(f.from ? { from: f.from } : {}),
      ...(f.throttle ? { throttlePerSec: Number(f.throttle) } : {}),
      ...(f.accountId ? { accountId: f.accountId } : {}),
    };
    let p: Promise<{ campaign: Campaign; rejected: RecipientError[] }>;
    if (f.audience === 'csv') {
      if (!csv) return;
      const q = new URLSearchParams(Object.entries(settings).map(([k, v]) => [k, String(v)]));
      p = api.postBlob(`/sms/campaigns/csv?${q.toString()}`, csv, 'text/csv');
    } else {
      const audience =
        f.audience === 'tag'
          ? { tag: f.tag.trim() }
          : {
              recipients: f.numbers
                .split(/[\n,;]+/)
                .map((n) => n.trim())
                .filter(Boolean)
                .map((to) => ({ to })),
            };
      p = api.post('/sms/campaigns', { ...settings, audience });
    }
    setResult(null);
    p.then((r) => {
      setResult({ name: r.campaign.name, total: r.campaign.total, rejected: r.rejected });
      setF(EMPTY);
      setCsv(null);
      props.onCreated();
    }, fail);
  };
  return (
    <>
      <Form onSubmit={create} label={t.sms.newCampaign}>
        <label>
          {t.sms.name}
          <input value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} required />
        </label>
        <label className="wide">
          {t.sms.template}
          <textarea
            rows={2}
            value={f.template}
            onChange={(e) => setF({ ...f, template: e.target.value })}
            placeholder={t.sms.templateHint}
            required
          />
        </label>
        <label>
          {t.sms.type}
          <select value={f.type} onChange={(e) => setF({ ...f, type: e.target.value })}>
            <option value="marketing">{t.sms.typeNames.marketing}</option>
            <option value="notification">{t.sms.typeNames.notification}</option>
          </select>
        </label>
        <label>
          {t.sms.senderId}
          <input
            value={f.from}
            onChange={(e) => setF({ ...f, from: e.target.value })}
            placeholder={t.sms.default}
          />
        </label>
        <label>
          {t.sms.throttlePerSec}
          <input
            type="number"
            min={1}
            max={10000}
            value={f.throttle}
            onChange={(e) => setF({ ...f, throttle: e.target.value })}
          />
        </label>
        <label>
          {t.sms.account}
          <select value={f.accountId} onChange={(e) => setF({ ...f, accountId: e.target.value })}>
            <option value="">{t.sms.ownAccount}</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t.sms.audience}</legend>
          {(['list', 'csv', 'tag'] as const).map((a) => (
            <label key={a} className="check">
              <input
                type="radio"
                name="audience"
                checked={f.audience === a}
                onChange={() => setF({ ...f, audience: a })}
              />
              {t.sms.audiences[a]}
            </label>
          ))}
        </fieldset>
        {f.audience === 'list' && (
          <label className="wide">
            {t.sms.numbers}
            <textarea
              rows={2}
              value={f.numbers}
              onChange={(e) => setF({ ...f, numbers: e.target.value })}
              placeholder={t.sms.numbersHint}
              required
            />
          </label>
        )}
        {f.audience === 'csv' && (
          <>
            <label>
              {t.sms.csvFile}
              <input
                type="file"
                accept=".csv,text/csv"
                aria-describedby="sms-csv-hint"
                onChange={(e) => setCsv(e.target.files?.[0] ?? null)}
                required
              />
            </label>
            <span id="sms-csv-hint" className="muted small">
              {t.sms.csvHint}
            </span>
          </>
        )}
        {f.audience === 'tag' && (
          <label>
            {t.sms.customerTag}
            <input value={f.tag} onChange={(e) => setF({ ...f, tag: e.target.value })} required />
          </label>
        )}
        <label className="check">
          <input
            type="checkbox"
            checked={f.start}
            onChange={(e) => setF({ ...f, start: e.target.checked })}
          />
          {t.sms.startNow}
        </label>
        <button type="submit" className="primary">
          {t.app.create}
        </button>
      </Form>
      {result && (
        <div className="note" role="status">
          {fmt(t.sms.campaignCreated, {
            name: result.name,
            total: result.total,
            rejected: result.rejected.length,
          })}
          {result.rejected.length > 0 && (
            <ul>
              {result.rejected.slice(0, 20).map((r) => (
                <li key={r.index}>
                  {fmt(t.sms.rejectedRow, { n: r.index + 1, to: r.to })} {errorText(t, r.code)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </>
  );
}
