import { useState, type FormEvent } from 'react';
import { createApi, errorCode } from './api';
import { errorText, useT, type Lang } from './i18n';
import type { Session } from './types';
import { LangSwitch } from './LangSwitch';

export function Login(props: { onSignedIn: (s: Session) => void; lang: Lang; onLang: (l: Lang) => void }) {
  const t = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    createApi(null, () => undefined)
      .post<Session>('/auth/login', { username, password })
      .then(props.onSignedIn, (err: unknown) => {
        setError(errorCode(err));
        setBusy(false);
      });
  };

  return (
    <div className="login">
      <form onSubmit={submit} className="card">
        <h1>{t.login.title}</h1>
        <label>
          {t.login.username}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoFocus
            required
          />
        </label>
        <label>
          {t.login.password}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {errorText(t, error)}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t.login.submit}
        </button>
        <LangSwitch lang={props.lang} onLang={props.onLang} />
      </form>
    </div>
  );
}
