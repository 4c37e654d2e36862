import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useApp } from '../context';

/** A list read from the API, with a reload after changes. */
export function useList<T>(path: string): [T[], () => void] {
  const { api, fail } = useApp();
  const [items, setItems] = useState<T[]>([]);
  const reload = useCallback(() => {
    api.get<T[]>(path).then(setItems, fail);
  }, [api, path, fail]);
  useEffect(() => reload(), [reload]);
  return [items, reload];
}

/** Runs an API change, then `after` (usually a reload); errors go to the banner in plain words. */
export function useSubmit() {
  const { fail } = useApp();
  return (p: Promise<unknown>, after: () => void) => {
    p.then(after, fail);
  };
}

export function Form(props: { onSubmit: () => void; children: ReactNode; label: string }) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit();
  };
  return (
    <form className="form-row card" onSubmit={submit} aria-label={props.label}>
      {props.children}
    </form>
  );
}
