import { useEffect, useRef, useState } from 'react';
import { useApp } from '../context';
import { fmt, useT } from '../i18n';
import { duration, useNow } from '../util';
import { useAgentDesk, type DeskItem } from './useAgentDesk';
import { ScreenPop } from './ScreenPop';
import { Softphone } from './Softphone';
import { DialOut } from './DialOut';
import { useBrowserPhone } from './useBrowserPhone';
import { useCallControls } from './useCallControls';
import { WrapUpForm } from './WrapUpForm';
import { CallHistory } from './CallHistory';

/** The agent desktop: state control, several work items at once, screen pop, wrap-up. */
export function AgentDesktop() {
  const { me } = useApp();
  const t = useT();
  if (!me.agentId) return <p className="center">{t.agent.noProfile}</p>;
  return <Desk agentId={me.agentId} />;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

function Desk({ agentId }: { agentId: string }) {
  const t = useT();
  const desk = useAgentDesk(agentId);
  const phone = useBrowserPhone();
  // On the browser phone an agent without a microphone would take calls they cannot speak on.
  const needsMic = phone.kind === 'browser' && !phone.micReady;
  const now = useNow();
  const [selected, setSelected] = useState<string | null>(null);
  const [reason, setReason] = useState<string>('');
  const { state, items } = desk;

  // The newest offer takes the focus; otherwise keep the agent's choice while it exists.
  const offered = items.find((i) => i.phase === 'offered');
  const current: DeskItem | undefined =
    items.find((i) => i.interactionId === selected) ?? offered ?? items[0];
  // The in-call panel follows the agent's voice call (one at a time), whatever item is selected.
  const voiceCall = items.find((i) => i.channel === 'voice' && i.phase === 'active');
  const controls = useCallControls(voiceCall?.interactionId);
  const browserPhase = phone.call?.phase;
  const { refresh: refreshControls } = controls;
  useEffect(() => {
    // The bridge is up once the browser leg connects: read hold and recording again.
    if (browserPhase === 'active') refreshControls();
  }, [browserPhase, refreshControls]);
  const hangup = () => {
    if (phone.kind === 'browser' && phone.call) phone.hangup();
    else if (voiceCall) desk.hangup(voiceCall.interactionId);
  };

  useEffect(() => {
    if (!reason && desk.reasons[0]) setReason(desk.reasons[0].code);
  }, [desk.reasons, reason]);

  // Keyboard shortcuts; a ref keeps the handler current without re-binding on every render.
  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keys.current = (e: KeyboardEvent) => {
    if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.toLowerCase();
    const target = current;
    if (k === 'a') {
      // A ringing browser phone is answered in the page; other offers are accepted.
      if (phone.kind === 'browser' && phone.call?.phase === 'ringing') {
        void phone.answer();
      } else {
        const o = target?.phase === 'offered' ? target : offered;
        if (o?.reservationId) desk.accept(o.reservationId);
      }
    } else if (k === 'r') {
      const o = target?.phase === 'offered' ? target : offered;
      if (o?.reservationId) desk.reject(o.reservationId);
    } else if (k === 'h') {
      // The voice call first (hang up), else the selected or first active item (complete).
      if (voiceCall || (phone.kind === 'browser' && phone.call && phone.call.phase !== 'ringing')) hangup();
      else {
        const a = target?.phase === 'active' ? target : items.find((i) => i.phase === 'active');
        if (a) desk.complete(a.interactionId);
      }
    } else if (k === 'o') {
      if (voiceCall) controls.toggleHold();
    } else if (k === 'm') {
      if (phone.kind === 'browser' && phone.call) phone.toggleMute();
    } else if (k === 'w') {
      const w = target?.phase === 'wrap_up' ? target : items.find((i) => i.phase === 'wrap_up');
      if (w) desk.wrapUp(w.interactionId, null, null);
    } else if (/^[1-9]$/.test(k)) {
      const it = items[Number(k) - 1];
      if (it) setSelected(it.interactionId);
    } else if (e.key === 'F2') {
      if (!needsMic) desk.available();
    } else if (e.key === 'F3') {
      desk.notReady(reason || null);
    } else return;
    e.preventDefault();
  };
  useEffect(() => {
    const h = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, []);

  if (!state) return <div className="center">{t.app.loading}</div>;
  const capacity = desk.agent?.capacity ?? {};
  const used = (ch: string) => items.filter((i) => i.channel === ch && i.phase !== 'wrap_up').length;

  return (
    <div className="desk">
      <section className="statebar" aria-label={t.agent.state}>
        <span className={`badge state-${state.state}`} data-testid="agent-state">
          {t.states[state.state]}
          {state.state === 'not_ready' && state.reason
            ? ` · ${
                desk.reasons.find((r) => r.code === state.reason)?.label ??
                (state.reason === 'connection_lost' ? t.softphoneTrouble.connection_lost : state.reason)
              }`
            : ''}
        </span>
        {state.since && (
          <span className="muted" data-testid="time-in-state">
            {fmt(t.agent.inStateFor, { time: duration(now - Date.parse(state.since)) })}
          </span>
        )}
        {state.pendingLogout && <span className="muted">{t.agent.pendingLogout}</span>}
        <span className="spacer" />
        <button
          className="primary"
          onClick={desk.available}
          disabled={state.presence === 'available' || needsMic}
          title={needsMic ? t.phone.micNeeded : 'F2'}
        >
          {t.agent.goAvailable}
        </button>
        {needsMic && <span className="muted small">{t.phone.micNeeded}</span>}
        <label className="inline">
          {t.agent.reason}
          <select value={reason} onChange={(e) => setReason(e.target.value)}>
            {desk.reasons.length === 0 && <option value="">{t.app.none}</option>}
            {desk.reasons.map((r) => (
              <option key={r.id} value={r.code}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <button onClick={() => desk.notReady(reason || null)} title="F3">
          {t.agent.goNotReady}
        </button>
        {state.presence === 'logged_out' ? (
          <button onClick={desk.login}>{t.agent.logIn}</button>
        ) : (
          <button onClick={desk.logout}>{t.agent.logOut}</button>
        )}
      </section>

      <section className="worklist" aria-label={t.agent.work}>
        <h2>{t.agent.work}</h2>
        <p className="muted small">
          {Object.entries(capacity)
            .filter(([, max]) => max > 0)
            .map(([ch, max]) => `${t.channels[ch] ?? ch} ${fmt(t.agent.capacity, { used: used(ch), max })}`)
            .join(' · ')}
        </p>
        {items.length === 0 && <p className="muted">{t.agent.workEmpty}</p>}
        <ul>
          {items.map((it, n) => (
            <li key={it.interactionId}>
              <button
                className={`item phase-${it.phase}${it === current ? ' selected' : ''}`}
                onClick={() => setSelected(it.interactionId)}
                data-testid="work-item"
              >
                <span className="kbd">{n + 1}</span>
                <span className={`chan chan-${it.channel}`}>{t.channels[it.channel] ?? it.channel}</span>
                <span className="grow">{it.interaction?.fromAddress ?? it.interaction?.subject ?? ''}</span>
                <span className="phase">{t.phases[it.phase] ?? it.phase}</span>
                {it.interaction?.vip && <span className="mark vip">{t.agent.vip}</span>}
              </button>
            </li>
          ))}
        </ul>
        <p className="muted small shortcuts">{t.agent.shortcuts}</p>
      </section>

      <section className="detail" aria-label={t.agent.customer}>
        {current ? (
          <ItemDetail item={current} desk={desk} now={now} onHangup={hangup} />
        ) : (
          <p className="muted">{t.agent.selectItem}</p>
        )}
      </section>

      <Softphone call={voiceCall} now={now} phone={phone} controls={controls} onHangup={hangup} />

      <CallHistory />
      <DialOut />
    </div>
  );
}

function ItemDetail({
  item,
  desk,
  now,
  onHangup,
}: {
  item: DeskItem;
  desk: ReturnType<typeof useAgentDesk>;
  now: number;
  /** Hangs up the voice call (the browser leg itself, or a SIP phone's call through the API). */
  onHangup: () => void;
}) {
  const t = useT();
  const i = item.interaction;
  return (
    <div className="item-detail" data-testid="item-detail">
      <div className={`itemhead phase-${item.phase}`}>
        <h2>
          {item.phase === 'offered'
            ? fmt(t.agent.offer, { channel: t.channels[item.channel] ?? item.channel })
            : `${t.channels[item.channel] ?? item.channel} · ${t.phases[item.phase] ?? item.phase}`}
        </h2>
        {item.expiresAt && (
          <span className="muted">
            {fmt(t.agent.expiresIn, { sec: Math.max(0, Math.ceil((item.expiresAt - now) / 1000)) })}
          </span>
        )}
        <span className="spacer" />
        {item.phase === 'offered' && item.reservationId && (
          <>
            <button className="primary" onClick={() => desk.accept(item.reservationId!)} title="A">
              {t.agent.accept} <span className="kbd">A</span>
            </button>
            <button className="danger" onClick={() => desk.reject(item.reservationId!)} title="R">
              {t.agent.reject} <span className="kbd">R</span>
            </button>
          </>
        )}
        {item.phase === 'active' &&
          (item.channel === 'voice' ? (
            <button className="danger" onClick={onHangup} title={`${t.phone.hangup} (H)`}>
              {t.phone.hangup} <span className="kbd">H</span>
            </button>
          ) : (
            <button className="primary" onClick={() => desk.complete(item.interactionId)} title="H">
              {t.agent.complete} <span className="kbd">H</span>
            </button>
          ))}
      </div>
      {i && (
        <dl className="facts">
          {i.fromAddress && (
            <>
              <dt>{t.agent.from}</dt>
              <dd>{i.fromAddress}</dd>
            </>
          )}
          {i.subject && (
            <>
              <dt>{t.agent.subject}</dt>
              <dd>{i.subject}</dd>
            </>
          )}
        </dl>
      )}
      {item.phase === 'wrap_up' && (
        <WrapUpForm
          key={item.interactionId}
          codes={desk.wrapCodes}
          onSubmit={(code, notes) => desk.wrapUp(item.interactionId, code, notes)}
        />
      )}
      {i && <ScreenPop interaction={i} />}
    </div>
  );
}
