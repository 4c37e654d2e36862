import { createContext, useContext } from 'react';
import { en, type Messages } from './en';
import { zh } from './zh';

export type Lang = 'en' | 'zh';
export const LANGS: Record<Lang, { label: string; messages: Messages }> = {
  en: { label: 'English', messages: en },
  zh: { label: '中文', messages: zh },
};

export const I18nContext = createContext<Messages>(en);

/** The current language's texts. */
export function useT(): Messages {
  return useContext(I18nContext);
}

/** Fills {name} placeholders. */
export function fmt(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_m, k: string) => String(vars[k] ?? ''));
}

/** An API error in plain words of the current language (never a raw code). */
export function errorText(t: Messages, code: string): string {
  return t.errors[code] ?? t.errors.UNKNOWN ?? '';
}

/** The language to start with: the saved choice, else the browser's. */
export function initialLang(): Lang {
  const saved = localStorage.getItem('hotline.lang');
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
