import { useState, type FormEvent } from 'react';
import { useT } from '../i18n';
import type { ReasonCode } from '../types';

/** Wrap-up code and notes; Ctrl+Enter in the notes submits. */
export function WrapUpForm(props: {
  codes: ReasonCode[];
  onSubmit: (code: string | null, notes: string | null) => void;
}) {
  const t = useT();
  const [code, setCode] = useState('');
  const [notes, setNotes] = useState('');
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    props.onSubmit(code || null, notes.trim() || null);
  };
  return (
    <form className="wrapup card" onSubmit={submit} aria-label={t.agent.wrapUp}>
      <h3>{t.agent.wrapUp}</h3>
      <label>
        {t.agent.wrapUpCode}
        <select name="wrapUpCode" value={code} onChange={(e) => setCode(e.target.value)}>
          <option value="">{t.agent.noCode}</option>
          {props.codes.map((c) => (
            <option key={c.id} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.agent.wrapUpNotes}
        <textarea
          name="wrapUpNotes"
          rows={3}
          maxLength={5000}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && e.ctrlKey) submit();
          }}
        />
      </label>
      <button type="submit" className="primary">
        {t.agent.finishWrapUp}
      </button>
    </form>
  );
}
