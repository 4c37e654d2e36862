import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../../context';
import { fmt, useT } from '../../i18n';
import { shortTime } from '../../util';
import { Form, useList } from '../common';
import { MessageDetail } from './MessageDetail';
import { SMS_STATUSES, SMS_TYPES, download, money, type Account, type Campaign, type Sms } from './model';

const PAGE = 50;
const NO_FILTERS = { to: '', from: '', accountId: '', status: '', campaignId: '', since: '', until: '' };
type Filters = typeof NO_FILTERS;

/** The search's query string: dates are whole local days (until = end of that day). */
function query(f: Filters): string {
  const q = new URLSearchParams();
  if (f.to.trim()) q.set('to', f.to.trim());
  if (f.from.trim()) q.set('from', f.from.trim());
  if (f.accountId) q.set('accountId', f.accountId);
  if (f.status) q.set('status', f.status);
  if (f.campaignId) q.set('campaignId', f.campaignId);
  if (f.since) q.set('since', new Date(`${f.since}T00:00:00`).toISOString());
  if (f.until) {
    const end = new Date(`${f.until}T00:00:00`);
    end.setDate(end.getDate() + 1);
    q.set('until', end.toISOString());
  }
  return q.toString();
}

/** Send a message; search messages (number, sender ID or account, state, dates, campaign); details; CSV export. */
export function MessagesPanel() {
  const t = useT();
  const { api, events, fail } = useApp();
  const [accounts] = useList<Account>('/sms/accounts');
  const [campaigns] = useList<Campaign>('/sms/campaigns?limit=200');
  const [draft, setDraft] = useState(NO_FILTERS);
  const [filters, setFilters] = useState(NO_FILTERS);
  const [rows, setRows] = useState<Sms[]>([]);
  const [more, setMore] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);

  const search = useCallback(
    (f: Filters, offset = 0) => {
      const q = query(f);
      api.get<Sms[]>(`/sms?${q}${q ? '&' : ''}limit=${PAGE}&offset=${offset}`).then((page) => {
        setRows((r) => (offset === 0 ? page : [...r, ...page]));
        setMore(page.length === PAGE);
      }, fail);
    },
    [api, fail],
  );
  useEffect(() => search(filters), [search, filters]);

  // Status changes are pushed: the rows on screen follow them without a new search.
  useEffect(
    () =>
      events.subscribe((e) => {
        if (e.type !== 'sms.updated') return;
        const u = e.data as { id: string; status: string; errorCode: number | null };
        setRows((r) =>
          r.some((m) => m.id === u.id)
            ? r.map((m) => (m.id === u.id ? { ...m, status: u.status, errorCode: u.errorCode } : m))
            : r,
        );
      }),
    [events],
  );

  const exportCsv = () => {
    api.getBlob(`/sms/export.csv?${query(filters)}`).then((b) => download(b, 'sms.csv'), fail);
  };
  const campaignName = (id: string | null) =>
    id ? (campaigns.find((c) => c.id === id)?.name ?? id.slice(0, 8)) : '';

  return (
    <div className="sms-messages">
      <SendForm accounts={accounts} onSent={() => setFilters({ ...filters })} />
      <Form onSubmit={() => setFilters(draft)} label={t.sms.searchTitle}>
        <label>
          {t.sms.number}
          <input
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            placeholder="+4915112345678"
          />
        </label>
        <label>
          {t.sms.senderId}
          <input
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            size={10}
          />
        </label>
        <label>
          {t.sms.senderAccount}
          <select value={draft.accountId} onChange={(e) => setDraft({ ...draft, accountId: e.target.value })}>
            <option value="">{t.sms.any}</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.sms.status}
          <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
            <option value="">{t.sms.any}</option>
            {SMS_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t.sms.statuses[s] ?? s}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.sms.fromDate}
          <input
            type="date"
            value={draft.since}
            onChange={(e) => setDraft({ ...draft, since: e.target.value })}
          />
        </label>
        <label>
          {t.sms.toDate}
          <input
            type="date"
            value={draft.until}
            onChange={(e) => setDraft({ ...draft, until: e.target.value })}
          />
        </label>
        <label>
          {t.sms.campaign}
          <select
            value={draft.campaignId}
            onChange={(e) => setDraft({ ...draft, campaignId: e.target.value })}
          >
            <option value="">{t.sms.any}</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          {t.sms.search}
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft(NO_FILTERS);
            setFilters(NO_FILTERS);
          }}
        >
          {t.sms.clear}
        </button>
        <button type="button" onClick={exportCsv}>
          {t.sms.exportCsv}
        </button>
      </Form>

      <div className="scroll-x">
        <table aria-label={t.sms.results}>
          <thead>
            <tr>
              <th>{t.sms.created}</th>
              <th>{t.sms.recipient}</th>
              <th>{t.sms.sender}</th>
              <th>{t.sms.type}</th>
              <th>{t.sms.status}</th>
              <th>{t.sms.segments}</th>
              <th>{t.sms.cost}</th>
              <th>{t.sms.campaign}</th>
              <th>{t.sms.text}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => {
              const account = accounts.find((a) => a.id === m.accountId);
              return (
                <tr key={m.id} data-testid="sms-row" data-recipient={m.recipient}>
                  <td>{shortTime(m.createdAt)}</td>
                  <td>{m.recipient}</td>
                  <td>
                    {m.sender}
                    {account && <div className="muted small">{account.name}</div>}
                  </td>
                  <td>{t.sms.typeNames[m.type] ?? m.type}</td>
                  <td>
                    <span className={`badge sms-${m.status}`} data-testid="sms-status">
                      {t.sms.statuses[m.status] ?? m.status}
                    </span>
                  </td>
                  <td>{m.segments}</td>
                  <td>{account ? money(m.costMinor, account.currency) : m.costMinor}</td>
                  <td>{campaignName(m.campaignId)}</td>
                  <td className="clip" title={m.body}>
                    {m.body}
                  </td>
                  <td>
                    <button
                      onClick={() => setOpenId(openId === m.id ? null : m.id)}
                      aria-expanded={openId === m.id}
                      aria-label={fmt(t.sms.detailsOf, { to: m.recipient })}
                    >
                      {t.sms.details}
                    </button>
                  </td>
                </tr>
              );
            })}
            {rows.length === 0 && (
              <tr>
                <td colSpan={10} className="muted">
                  {t.sms.noMessages}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {more && <button onClick={() => search(filters, rows.length)}>{t.sms.more}</button>}
      {openId && (
        <MessageDetail
          key={openId}
          id={openId}
          accounts={accounts}
          onClose={() => setOpenId(null)}
          onChanged={() => search(filters)}
        />
      )}
    </div>
  );
}

/** A single message, as the API's POST /sms sends it (billed to the chosen account). */
function SendForm(props: { accounts: Account[]; onSent: () => void }) {
  const t = useT();
  const { api, fail } = useApp();
  const empty = { to: '', body: '', from: '', type: 'notification', accountId: '' };
  const [f, setF] = useState(empty);
  const [sent, setSent] = useState<Sms | null>(null);
  const send = () => {
    setSent(null);
    api
      .post<Sms>('/sms', {
        to: f.to,
        body: f.body,
        type: f.type,
        ...(f.from ? { from: f.from } : {}),
        ...(f.accountId ? { accountId: f.accountId } : {}),
      })
      .then((m) => {
        setSent(m);
        setF({ ...empty, type: f.type, accountId: f.accountId, from: f.from });
        props.onSent();
      }, fail);
  };
  return (
    <Form onSubmit={send} label={t.sms.sendTitle}>
      <label>
        {t.sms.to}
        <input value={f.to} onChange={(e) => setF({ ...f, to: e.target.value })} required />
      </label>
      <label className="wide">
        {t.sms.text}
        <textarea rows={1} value={f.body} onChange={(e) => setF({ ...f, body: e.target.value })} required />
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
        {t.sms.type}
        <select value={f.type} onChange={(e) => setF({ ...f, type: e.target.value })}>
          {SMS_TYPES.map((x) => (
            <option key={x} value={x}>
              {t.sms.typeNames[x] ?? x}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.sms.account}
        <select value={f.accountId} onChange={(e) => setF({ ...f, accountId: e.target.value })}>
          <option value="">{t.sms.ownAccount}</option>
          {props.accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary">
        {t.sms.send}
      </button>
      {sent && (
        <span role="status" className="muted">
          {fmt(t.sms.sent, { to: sent.recipient, segments: sent.segments })}
        </span>
      )}
    </Form>
  );
}
