import { useCallback, useEffect, useState } from 'react';
import { errorCode } from '../../api';
import { useApp } from '../../context';
import { fmt, useT } from '../../i18n';
import { shortTime } from '../../util';
import { Form, useList } from '../common';
import type { Account, ClientWebhook } from './model';

/**
 * Per-client webhooks: an SMS account's receipts go to its own URL, signed with its own secret
 * (shown once, when set). Accounts without one use the global webhook.
 */
export function WebhooksPanel() {
  const t = useT();
  const { api, fail } = useApp();
  const [accounts] = useList<Account>('/sms/accounts');
  const [hooks, setHooks] = useState<Record<string, ClientWebhook | null>>({});
  const [f, setF] = useState({ accountId: '', url: '' });
  const [secret, setSecret] = useState<ClientWebhook | null>(null);

  const loadOne = useCallback(
    (accountId: string) => {
      api.get<ClientWebhook>(`/sms/accounts/${accountId}/webhook`).then(
        (h) => setHooks((m) => ({ ...m, [accountId]: h })),
        (err: unknown) => {
          // No webhook of its own is an answer, not a failure.
          if (errorCode(err) === 'NOT_FOUND') setHooks((m) => ({ ...m, [accountId]: null }));
          else fail(err);
        },
      );
    },
    [api, fail],
  );
  useEffect(() => {
    for (const a of accounts) loadOne(a.id);
  }, [accounts, loadOne]);

  const save = () =>
    api.put<ClientWebhook>(`/sms/accounts/${f.accountId}/webhook`, { url: f.url }).then((h) => {
      setSecret(h);
      setF({ accountId: '', url: '' });
      loadOne(h.accountId);
    }, fail);
  const remove = (accountId: string) =>
    api.del(`/sms/accounts/${accountId}/webhook`).then(() => loadOne(accountId), fail);
  const nameOf = (id: string) => accounts.find((a) => a.id === id)?.name ?? id;

  return (
    <div className="sms-webhooks">
      <p className="muted small">{t.sms.webhooksNote}</p>
      <Form onSubmit={() => void save()} label={t.sms.setWebhook}>
        <label>
          {t.sms.account}
          <select value={f.accountId} onChange={(e) => setF({ ...f, accountId: e.target.value })} required>
            <option value="" />
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          {t.sms.webhookUrl}
          <input
            type="url"
            value={f.url}
            onChange={(e) => setF({ ...f, url: e.target.value })}
            pattern="https?://.+"
            placeholder="https://client.example/hotline/receipts"
            required
          />
        </label>
        <button type="submit" className="primary">
          {t.app.save}
        </button>
      </Form>
      {secret?.secret && (
        <div className="note" role="status" data-testid="webhook-secret">
          {fmt(t.sms.secretOnce, { account: nameOf(secret.accountId) })}{' '}
          <code className="mono">{secret.secret}</code>{' '}
          <button onClick={() => setSecret(null)}>{t.sms.secretNoted}</button>
        </div>
      )}
      <table aria-label={t.sms.webhooks}>
        <thead>
          <tr>
            <th>{t.sms.account}</th>
            <th>{t.sms.webhookUrl}</th>
            <th>{t.sms.changed}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => {
            const h = hooks[a.id];
            return (
              <tr key={a.id} data-testid="webhook-row" data-account={a.name}>
                <td>{a.name}</td>
                <td className="mono small">
                  {h ? h.url : <span className="muted">{t.sms.globalWebhook}</span>}
                </td>
                <td>{h ? shortTime(h.updatedAt) : ''}</td>
                <td className="actions">
                  {h && (
                    <>
                      <button
                        onClick={() => setF({ accountId: a.id, url: h.url })}
                        aria-label={`${t.app.edit} ${a.name}`}
                      >
                        {t.app.edit}
                      </button>{' '}
                      <button onClick={() => void remove(a.id)} aria-label={`${t.tel.remove} ${a.name}`}>
                        {t.tel.remove}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
