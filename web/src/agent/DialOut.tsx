import { useState } from 'react';
import { useApp } from '../context';
import { errorText, useT } from '../i18n';
import { errorCode } from '../api';

/**
 * Places a call out (POST /api/calls): your phone rings first, then the number. Errors are shown
 * in plain words (dial plan, not logged in, busy, no phone).
 */
export function DialOut({ initial = '' }: { initial?: string }) {
  const { api } = useApp();
  const t = useT();
  const [number, setNumber] = useState(initial);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const call = async (): Promise<void> => {
    if (number.trim() === '') return;
    setBusy(true);
    setNote(null);
    try {
      await api.post('/calls', { to: number.trim() });
      setNote({ ok: true, text: t.dial.ringing });
    } catch (err) {
      setNote({ ok: false, text: errorText(t, errorCode(err)) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="dialout"
      aria-label={t.dial.title}
      onSubmit={(e) => {
        e.preventDefault();
        void call();
      }}
    >
      <label className="inline">
        {t.dial.number}
        <input
          type="tel"
          value={number}
          onChange={(e) => setNumber(e.target.value)}
          placeholder="+1 202 555 0143"
          data-testid="dial-number"
        />
      </label>
      <button type="submit" disabled={busy || number.trim() === ''} data-testid="dial-call">
        {t.dial.call}
      </button>
      {note && (
        <p className={note.ok ? 'muted' : 'error'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      )}
    </form>
  );
}

/** Click-to-call: one button that dials the number at once. */
export function CallButton({ number }: { number: string }) {
  const { api } = useApp();
  const t = useT();
  const [note, setNote] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        data-testid="click-to-call"
        onClick={() => {
          setNote(null);
          api.post('/calls', { to: number }).then(
            () => setNote(t.dial.ringing),
            (err: unknown) => setNote(errorText(t, errorCode(err))),
          );
        }}
      >
        {t.dial.call}
      </button>
      {note && <span className="muted"> {note}</span>}
    </>
  );
}
