import { useEffect, useState } from 'react';
import { useApp } from '../../context';
import { fmt, useT } from '../../i18n';
import { shortTime } from '../../util';
import { Form, useList, useSubmit } from '../common';
import {
  download,
  money,
  thisMonth,
  toMinor,
  type Account,
  type LedgerEntry,
  type Price,
  type Statement,
} from './model';

const KINDS = ['department', 'user', 'api_client'] as const;
const BILLINGS = ['prepaid', 'quota', 'unbilled'] as const;
const NEW_ACCOUNT = {
  name: '',
  kind: 'department' as (typeof KINDS)[number],
  billing: 'prepaid' as (typeof BILLINGS)[number],
  currency: 'EUR',
  amount: '',
};

/** SMS accounts (balance or quota left), top-ups, the ledger and statement of a month, and the price list. */
export function AccountsPanel() {
  const t = useT();
  const { api } = useApp();
  const submit = useSubmit();
  const [accounts, reload] = useList<Account>('/sms/accounts');
  const [f, setF] = useState(NEW_ACCOUNT);
  const [openId, setOpenId] = useState<string | null>(null);
  const create = () => {
    const amount = f.amount ? toMinor(f.amount, f.currency) : undefined;
    const body = {
      name: f.name,
      kind: f.kind,
      billing: f.billing,
      currency: f.currency.toUpperCase(),
      ...(f.billing === 'prepaid' && amount !== undefined ? { balance: amount } : {}),
      ...(f.billing === 'quota' && amount !== undefined ? { monthlyQuota: amount } : {}),
    };
    submit(api.post('/sms/accounts', body), () => {
      setF(NEW_ACCOUNT);
      reload();
    });
  };
  const open = accounts.find((a) => a.id === openId);
  return (
    <div className="sms-accounts">
      <Form onSubmit={create} label={t.sms.newAccount}>
        <label>
          {t.sms.name}
          <input value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} required />
        </label>
        <label>
          {t.sms.kind}
          <select value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as typeof f.kind })}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t.sms.accountKinds[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.sms.billing}
          <select
            value={f.billing}
            onChange={(e) => setF({ ...f, billing: e.target.value as typeof f.billing })}
          >
            {BILLINGS.map((b) => (
              <option key={b} value={b}>
                {t.sms.billings[b]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.sms.currency}
          <input
            value={f.currency}
            onChange={(e) => setF({ ...f, currency: e.target.value })}
            pattern="[A-Za-z]{3}"
            size={4}
            required
          />
        </label>
        {f.billing !== 'unbilled' && (
          <label>
            {f.billing === 'prepaid' ? t.sms.openingBalance : t.sms.monthlyQuota}
            <input
              inputMode="decimal"
              value={f.amount}
              onChange={(e) => setF({ ...f, amount: e.target.value })}
              placeholder="100.00"
            />
          </label>
        )}
        <button type="submit" className="primary">
          {t.app.create}
        </button>
      </Form>
      <div className="scroll-x">
        <table aria-label={t.sms.accounts}>
          <thead>
            <tr>
              <th>{t.sms.name}</th>
              <th>{t.sms.kind}</th>
              <th>{t.sms.billing}</th>
              <th>{t.sms.balance}</th>
              <th>{t.sms.quota}</th>
              <th>{t.sms.available}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id} data-testid="account-row" data-account={a.name}>
                <td>{a.name}</td>
                <td>{t.sms.accountKinds[a.kind] ?? a.kind}</td>
                <td>{t.sms.billings[a.billing] ?? a.billing}</td>
                <td>{a.billing === 'prepaid' ? money(a.balance, a.currency) : t.app.none}</td>
                <td>
                  {a.billing === 'quota' && a.monthlyQuota !== null
                    ? fmt(t.sms.quotaUsed, {
                        used: money(a.quotaUsed, a.currency),
                        quota: money(a.monthlyQuota, a.currency),
                      })
                    : t.app.none}
                </td>
                <td data-testid="account-available">
                  {a.available === null ? t.sms.unlimited : money(a.available, a.currency)}
                </td>
                <td>
                  <button
                    onClick={() => setOpenId(openId === a.id ? null : a.id)}
                    aria-expanded={openId === a.id}
                    aria-label={`${t.sms.ledgerAndStatement} ${a.name}`}
                  >
                    {t.sms.ledgerAndStatement}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open && <AccountDetail key={open.id} account={open} onChanged={reload} />}
      <Prices />
    </div>
  );
}

/** One account: top up, and a month's ledger and statement (with its CSV). */
function AccountDetail(props: { account: Account; onChanged: () => void }) {
  const a = props.account;
  const t = useT();
  const { api, fail } = useApp();
  const submit = useSubmit();
  const [month, setMonth] = useState(thisMonth());
  const [ledger, setLedger] = useState<LedgerEntry[]>([]);
  const [statement, setStatement] = useState<Statement | null>(null);
  const [topUp, setTopUp] = useState({ amount: '', note: '' });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!/^\d{4}-\d{2}$/.test(month)) return;
    api.get<LedgerEntry[]>(`/sms/accounts/${a.id}/ledger/${month}`).then(setLedger, fail);
    api.get<Statement>(`/sms/accounts/${a.id}/statements/${month}`).then(setStatement, fail);
  }, [api, fail, a.id, month, version]);
  const addCredit = () => {
    const amount = toMinor(topUp.amount, a.currency);
    if (!Number.isFinite(amount) || amount === 0) return;
    submit(
      api.post(`/sms/accounts/${a.id}/topups`, { amount, ...(topUp.note ? { note: topUp.note } : {}) }),
      () => {
        setTopUp({ amount: '', note: '' });
        setVersion((v) => v + 1);
        props.onChanged();
      },
    );
  };
  const csv = () =>
    api
      .getBlob(`/sms/accounts/${a.id}/statements/${month}?format=csv`)
      .then((b) => download(b, `sms-${a.name}-${month}.csv`), fail);
  return (
    <section className="card" aria-label={`${t.sms.ledgerAndStatement} ${a.name}`}>
      <h3>
        {a.name} <span className="muted small">{t.sms.billings[a.billing]}</span>
      </h3>
      {a.billing === 'prepaid' && (
        <Form onSubmit={addCredit} label={t.sms.topUp}>
          <label>
            {fmt(t.sms.topUpAmount, { currency: a.currency })}
            <input
              inputMode="decimal"
              value={topUp.amount}
              onChange={(e) => setTopUp({ ...topUp, amount: e.target.value })}
              required
            />
          </label>
          <label>
            {t.sms.note}
            <input value={topUp.note} onChange={(e) => setTopUp({ ...topUp, note: e.target.value })} />
          </label>
          <button type="submit" className="primary">
            {t.sms.topUp}
          </button>
        </Form>
      )}
      <div className="form-row">
        <label>
          {t.sms.month}
          <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
        </label>
        <button onClick={() => void csv()}>{t.sms.statementCsv}</button>
      </div>
      {statement && (
        <table aria-label={t.sms.statement} className="narrow">
          <tbody>
            <tr>
              <th scope="row">{t.sms.opening}</th>
              <td>{money(statement.openingBalance, statement.currency)}</td>
              <th scope="row">{t.sms.charged}</th>
              <td>{money(statement.charges, statement.currency)}</td>
              <th scope="row">{t.sms.refunded}</th>
              <td>{money(statement.refunds, statement.currency)}</td>
              <th scope="row">{t.sms.topUps}</th>
              <td>{money(statement.topUps, statement.currency)}</td>
              <th scope="row">{t.sms.closing}</th>
              <td>{money(statement.closingBalance, statement.currency)}</td>
            </tr>
          </tbody>
        </table>
      )}
      {statement && statement.byType.length > 0 && (
        <table aria-label={t.sms.byType}>
          <thead>
            <tr>
              <th>{t.sms.type}</th>
              <th>{t.sms.messages}</th>
              <th>{t.sms.segments}</th>
              <th>{t.sms.charged}</th>
              <th>{t.sms.refunded}</th>
            </tr>
          </thead>
          <tbody>
            {statement.byType.map((b) => (
              <tr key={b.type}>
                <td>{t.sms.typeNames[b.type] ?? b.type}</td>
                <td>{b.messages}</td>
                <td>{b.segments}</td>
                <td>{money(b.charged, statement.currency)}</td>
                <td>{money(b.refunded, statement.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>{t.sms.ledger}</h4>
      <div className="scroll-y">
        <table aria-label={t.sms.ledger}>
          <thead>
            <tr>
              <th>{t.sms.at}</th>
              <th>{t.sms.kind}</th>
              <th>{t.sms.amount}</th>
              <th>{t.sms.segments}</th>
              <th>{t.sms.type}</th>
              <th>{t.sms.note}</th>
            </tr>
          </thead>
          <tbody>
            {ledger.map((l) => (
              <tr key={l.id}>
                <td>{shortTime(l.at)}</td>
                <td>{t.sms.ledgerKinds[l.kind] ?? l.kind}</td>
                <td>{money(l.amount, a.currency)}</td>
                <td>{l.segments}</td>
                <td>{l.messageType ? (t.sms.typeNames[l.messageType] ?? l.messageType) : ''}</td>
                <td>{l.note ?? ''}</td>
              </tr>
            ))}
            {ledger.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  {t.sms.noLedger}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The price list: per segment by destination prefix (and route). */
function Prices() {
  const t = useT();
  const { api } = useApp();
  const submit = useSubmit();
  const [prices, reload] = useList<Price>('/sms/prices');
  const [f, setF] = useState({ prefix: '', route: '', perSegment: '' });
  const save = () =>
    submit(
      api.put('/sms/prices', {
        prefix: f.prefix.replace(/^\+/, ''),
        route: f.route || null,
        perSegment: Number(f.perSegment),
      }),
      () => {
        setF({ prefix: '', route: '', perSegment: '' });
        reload();
      },
    );
  return (
    <section className="card" aria-label={t.sms.prices}>
      <h3>{t.sms.prices}</h3>
      <p className="muted small">{t.sms.pricesNote}</p>
      <Form onSubmit={save} label={t.sms.prices}>
        <label>
          {t.sms.prefix}
          <input
            value={f.prefix}
            onChange={(e) => setF({ ...f, prefix: e.target.value })}
            pattern="\+?\d{0,15}"
            placeholder="44"
          />
        </label>
        <label>
          {t.sms.route}
          <input
            value={f.route}
            onChange={(e) => setF({ ...f, route: e.target.value })}
            placeholder={t.sms.anyRoute}
          />
        </label>
        <label>
          {t.sms.perSegment}
          <input
            type="number"
            min={0}
            value={f.perSegment}
            onChange={(e) => setF({ ...f, perSegment: e.target.value })}
            required
          />
        </label>
        <button type="submit" className="primary">
          {t.app.save}
        </button>
      </Form>
      <table aria-label={t.sms.prices}>
        <thead>
          <tr>
            <th>{t.sms.prefix}</th>
            <th>{t.sms.route}</th>
            <th>{t.sms.perSegment}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {prices.map((p) => (
            <tr key={p.id}>
              <td>{p.prefix ? `+${p.prefix}` : t.sms.fallback}</td>
              <td>{p.route ?? t.sms.anyRoute}</td>
              <td>{p.perSegment}</td>
              <td>
                <button
                  onClick={() => submit(api.del(`/sms/prices/${p.id}`), reload)}
                  aria-label={`${t.app.delete} ${p.prefix ? `+${p.prefix}` : t.sms.fallback}`}
                >
                  {t.app.delete}
                </button>
              </td>
            </tr>
          ))}
          {prices.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {t.sms.noPrices}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
