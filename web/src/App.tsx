import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { createApi, errorCode } from './api';
import { EventStream } from './events';
import { Ctx, type AppContext } from './context';
import { I18nContext, LANGS, errorText, initialLang, type Lang } from './i18n';
import type { Me, Session } from './types';
import { Login } from './Login';
import { AgentDesktop } from './agent/AgentDesktop';
import { LangSwitch } from './LangSwitch';

// The agent desktop is the first screen most people load; the others come when opened.
const Wallboard = lazy(() => import('./supervisor/Wallboard').then((m) => ({ default: m.Wallboard })));
const Recordings = lazy(() => import('./recordings/Recordings').then((m) => ({ default: m.Recordings })));
const AdminConsole = lazy(() => import('./admin/AdminConsole').then((m) => ({ default: m.AdminConsole })));

type View = 'agent' | 'wallboard' | 'recordings' | 'admin';
const PATHS: Record<View, string> = {
  agent: '/agent',
  wallboard: '/wallboard',
  recordings: '/recordings',
  admin: '/admin',
};

function viewOf(path: string): View | null {
  if (path.startsWith('/wallboard')) return 'wallboard';
  if (path.startsWith('/recordings')) return 'recordings';
  if (path.startsWith('/admin')) return 'admin';
  if (path.startsWith('/agent')) return 'agent';
  return null;
}

function loadSession(): Session | null {
  const raw = localStorage.getItem('hotline.session');
  return raw ? (JSON.parse(raw) as Session) : null;
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | null>(loadSession);
  const t = LANGS[lang].messages;

  const chooseLang = (l: Lang) => {
    localStorage.setItem('hotline.lang', l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    setLang(l);
  };
  const signIn = (s: Session) => {
    localStorage.setItem('hotline.session', JSON.stringify(s));
    setSession(s);
  };
  const signOut = useCallback(() => {
    localStorage.removeItem('hotline.session');
    setSession(null);
  }, []);

  return (
    <I18nContext.Provider value={t}>
      {session ? (
        <SignedIn key={session.token} session={session} onSignOut={signOut} lang={lang} onLang={chooseLang} />
      ) : (
        <Login onSignedIn={signIn} lang={lang} onLang={chooseLang} />
      )}
    </I18nContext.Provider>
  );
}

function SignedIn(props: { session: Session; onSignOut: () => void; lang: Lang; onLang: (l: Lang) => void }) {
  const { session, onSignOut } = props;
  const t = LANGS[props.lang].messages;
  const api = useMemo(() => createApi(session.token, onSignOut), [session.token, onSignOut]);
  const [events] = useState(() => new EventStream(session.token));
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [view, setView] = useState<View | null>(() => viewOf(location.pathname));

  useEffect(() => () => events.close(), [events]);
  useEffect(() => events.onStatus(setLive), [events]);
  useEffect(() => {
    api.get<Me>('/me').then(setMe, (e: unknown) => setError(errorCode(e)));
  }, [api]);
  useEffect(() => {
    const onPop = () => setView(viewOf(location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const fail = useCallback((err: unknown) => setError(errorCode(err)), []);
  const ctx: AppContext | null = useMemo(
    () => (me ? { api, events, me, fail } : null),
    [api, events, me, fail],
  );
  if (!ctx || !me) {
    return <div className="center">{error ? errorText(t, error) : t.app.loading}</div>;
  }

  const allowed: View[] =
    me.role === 'admin'
      ? ['agent', 'wallboard', 'recordings', 'admin']
      : me.role === 'supervisor'
        ? ['agent', 'wallboard', 'recordings']
        : ['agent'];
  const defaultView: View = me.role === 'agent' ? 'agent' : me.agentId ? 'agent' : 'wallboard';
  const current = view && allowed.includes(view) ? view : defaultView;
  const go = (v: View) => {
    history.pushState(null, '', PATHS[v]);
    setView(v);
  };
  const logOut = () => {
    api.post('/auth/logout').catch(() => undefined);
    onSignOut();
  };

  return (
    <Ctx.Provider value={ctx}>
      <div className="shell">
        <header className="topbar">
          <span className="brand">{t.app.name}</span>
          <nav>
            {allowed.map((v) => (
              <button
                key={v}
                className={v === current ? 'tab active' : 'tab'}
                aria-current={v === current ? 'page' : undefined}
                onClick={() => go(v)}
              >
                {t.app.nav[v]}
              </button>
            ))}
          </nav>
          <span className={live ? 'conn live' : 'conn'} role="status">
            {live ? t.app.live : t.app.reconnecting}
          </span>
          <span className="user">{session.user.displayName}</span>
          <LangSwitch lang={props.lang} onLang={props.onLang} />
          <button onClick={logOut}>{t.app.logout}</button>
        </header>
        {error && (
          <div className="error" role="alert">
            {errorText(t, error)}
            <button className="link" onClick={() => setError(null)} aria-label={t.app.close}>
              ×
            </button>
          </div>
        )}
        <main>
          <Suspense fallback={<div className="center">{t.app.loading}</div>}>
            {current === 'agent' && <AgentDesktop />}
            {current === 'wallboard' && <Wallboard />}
            {current === 'recordings' && <Recordings />}
            {current === 'admin' && <AdminConsole />}
          </Suspense>
        </main>
      </div>
    </Ctx.Provider>
  );
}
