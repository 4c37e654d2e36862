import { useState } from 'react';
import { ApiError } from '../../api';
import { useApp } from '../../context';
import { useT } from '../../i18n';
import { useList } from '../common';
import { OutboundTrunk } from './OutboundTrunk';

/** A trunk as GET /trunks returns it (never the password). */
interface Trunk {
  name: string;
  origin: 'config' | 'console';
  sources: string[];
  dids: string[];
  outboundProxy: string | null;
  transport: 'udp' | 'tcp';
  domain: string | null;
  username: string | null;
  passwordSet: boolean;
  registerExpires: number;
  callerId: string | null;
  active: boolean;
  /** Calls out go through it now. */
  outbound: boolean;
  problem: string | null;
  health: { reachable: boolean | null; detail: string | null; registration: string | null };
}

const EMPTY = {
  editing: '',
  name: '',
  sources: '',
  dids: '',
  outboundProxy: '',
  transport: 'udp' as 'udp' | 'tcp',
  domain: '',
  username: '',
  password: '',
  clearPassword: false,
  registerExpires: '0',
  callerId: '',
};
type Draft = typeof EMPTY;
type Field = Exclude<keyof Draft, 'editing' | 'clearPassword'>;
const FIELDS: Field[] = [
  'name',
  'sources',
  'dids',
  'outboundProxy',
  'transport',
  'domain',
  'username',
  'password',
  'registerExpires',
  'callerId',
];

/** "a, b\nc" → ['a', 'b', 'c'] */
const split = (s: string) =>
  s
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * The SIP trunks: the configuration's (read-only) and the console's, which admins add, change
 * and delete here; every change applies to calls at once. Errors are shown at their field.
 */
export function TrunksPanel() {
  const t = useT();
  const { api, fail } = useApp();
  const [trunks, reloadList] = useList<Trunk>('/trunks');
  // Bumped on every change, so the outbound choice reloads with the list.
  const [version, setVersion] = useState(0);
  const reload = () => {
    reloadList();
    setVersion((v) => v + 1);
  };
  const [d, setD] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [busy, setBusy] = useState(false);

  const message = (err: ApiError) => `${t.errors[err.code] ?? t.errors.UNKNOWN} (${err.message})`;
  /** The API's error at its field ("/sources/1" → sources), or in the banner. */
  const show = (err: unknown) => {
    const path = err instanceof ApiError ? err.details?.path : undefined;
    const field = typeof path === 'string' ? (path.split('/')[1] as Field | undefined) : undefined;
    if (err instanceof ApiError && field && FIELDS.includes(field)) setErrors({ [field]: message(err) });
    else fail(err);
  };
  const save = () => {
    setErrors({});
    const body: Record<string, unknown> = {
      sources: split(d.sources),
      dids: split(d.dids),
      outboundProxy: d.outboundProxy.trim() || null,
      transport: d.transport,
      domain: d.domain.trim() || null,
      username: d.username.trim() || null,
      registerExpires: Number(d.registerExpires) || 0,
      callerId: d.callerId.trim() || null,
    };
    // Left empty on an edit, the stored password stays.
    if (d.clearPassword) body.password = null;
    else if (d.password !== '') body.password = d.password;
    if (!d.editing) body.name = d.name.trim();
    setBusy(true);
    const done = d.editing
      ? api.put(`/trunks/${encodeURIComponent(d.editing)}`, body)
      : api.post('/trunks', body);
    done
      .then(() => {
        setD(EMPTY);
        reload();
      }, show)
      .finally(() => setBusy(false));
  };
  const edit = (x: Trunk) => {
    setErrors({});
    setD({
      editing: x.name,
      name: x.name,
      sources: x.sources.join(', '),
      dids: x.dids.join(', '),
      outboundProxy: x.outboundProxy ?? '',
      transport: x.transport,
      domain: x.domain ?? '',
      username: x.username ?? '',
      password: '',
      clearPassword: false,
      registerExpires: String(x.registerExpires),
      callerId: x.callerId ?? '',
    });
  };
  const remove = (x: Trunk) => {
    if (!window.confirm(t.trunks.confirmDelete.replace('{name}', x.name))) return;
    api.del(`/trunks/${encodeURIComponent(x.name)}`).then(reload, fail);
  };
  const input = (field: Field, label: string, extra: Record<string, unknown> = {}) => (
    <label className={errors[field] ? 'invalid' : undefined}>
      {label}
      <input
        value={d[field]}
        onChange={(e) => setD({ ...d, [field]: e.target.value })}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={errors[field] ? `trunk-${field}-error` : undefined}
        {...extra}
      />
      {errors[field] && (
        <span className="field-error" id={`trunk-${field}-error`} role="alert">
          {errors[field]}
        </span>
      )}
    </label>
  );
  const health = (x: Trunk) => {
    if (!x.active) return x.problem ?? '';
    if (!x.outboundProxy) return t.trunks.inboundOnly;
    const ping =
      x.health.reachable === null
        ? t.trunks.notPinged
        : x.health.reachable
          ? t.trunks.reachable
          : t.trunks.unreachable;
    const reg = x.health.registration
      ? ` · ${t.trunks.registration[x.health.registration] ?? x.health.registration}`
      : '';
    return `${ping}${reg}`;
  };

  return (
    <>
      <h3>{t.tel.trunks}</h3>
      <p className="note">{t.trunks.note}</p>
      <OutboundTrunk
        candidates={trunks.filter((x) => x.active && x.outboundProxy).map((x) => x.name)}
        version={version}
        onChange={reloadList}
      />
      <table aria-label={t.tel.trunks}>
        <thead>
          <tr>
            <th>{t.admin.name}</th>
            <th>{t.tel.sources}</th>
            <th>{t.tel.dids}</th>
            <th>{t.tel.proxy}</th>
            <th>{t.tel.registration}</th>
            <th>{t.trunks.password}</th>
            <th>{t.trunks.health}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {trunks.map((x) => (
            <tr key={`${x.origin}:${x.name}`} data-testid="trunk-row">
              <td>
                {x.name}
                {x.outbound && <span className="badge outbound">{t.trunks.outboundBadge}</span>}
              </td>
              <td>{x.sources.join(', ')}</td>
              <td>{x.dids.join(', ')}</td>
              <td>{x.outboundProxy ? `${x.outboundProxy} (${x.transport})` : ''}</td>
              <td>
                {x.registerExpires > 0 ? `${x.username ?? ''} · ${x.registerExpires} s` : t.tel.ipTrust}
              </td>
              <td>{x.passwordSet ? t.trunks.passwordSet : t.trunks.passwordNotSet}</td>
              <td className={x.health.reachable === false || !x.active ? 'warn' : undefined}>{health(x)}</td>
              <td>
                {x.origin === 'config' ? (
                  <span className="note">{t.trunks.fromConfig}</span>
                ) : (
                  <>
                    <button onClick={() => edit(x)}>{t.tel.edit}</button>
                    <button onClick={() => remove(x)}>{t.app.delete}</button>
                  </>
                )}
              </td>
            </tr>
          ))}
          {trunks.length === 0 && (
            <tr>
              <td colSpan={8}>{t.trunks.none}</td>
            </tr>
          )}
        </tbody>
      </table>
      <form
        className="form-row card"
        aria-label={d.editing ? t.trunks.editTitle.replace('{name}', d.editing) : t.trunks.addTitle}
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        {input('name', t.admin.name, { required: true, disabled: d.editing !== '', placeholder: 'carrier' })}
        {input('sources', t.trunks.sourcesField, {
          required: true,
          placeholder: '203.0.113.0/24, 198.51.100.7',
        })}
        {input('dids', t.trunks.didsField, { required: true, placeholder: '+14155550100, *' })}
        {input('outboundProxy', t.trunks.proxyField, { placeholder: 'sip.carrier.example:5060' })}
        <label>
          {t.trunks.transport}
          <select
            value={d.transport}
            onChange={(e) => setD({ ...d, transport: e.target.value as 'udp' | 'tcp' })}
          >
            <option value="udp">UDP</option>
            <option value="tcp">TCP</option>
          </select>
        </label>
        {input('domain', t.trunks.domain, { placeholder: 'carrier.example' })}
        {input('username', t.trunks.username, { autoComplete: 'off' })}
        {input('password', t.trunks.password, {
          type: 'password',
          autoComplete: 'new-password',
          placeholder: d.editing ? t.trunks.passwordKeep : '',
          disabled: d.clearPassword,
        })}
        {d.editing && (
          <label className="check">
            <input
              type="checkbox"
              checked={d.clearPassword}
              onChange={(e) => setD({ ...d, clearPassword: e.target.checked, password: '' })}
            />
            {t.trunks.clearPassword}
          </label>
        )}
        {input('registerExpires', t.trunks.registerExpires, { type: 'number', min: 0, max: 86400 })}
        {input('callerId', t.trunks.callerId, { placeholder: '+14155550199' })}
        <button type="submit" className="primary" disabled={busy}>
          {d.editing ? t.app.save : t.trunks.add}
        </button>
        {d.editing && (
          <button
            type="button"
            onClick={() => {
              setD(EMPTY);
              setErrors({});
            }}
          >
            {t.app.cancel}
          </button>
        )}
      </form>
    </>
  );
}
