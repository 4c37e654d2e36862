import { LANGS, type Lang } from './i18n';

/** The language picker (labelled in both languages so anyone can find it). */
export function LangSwitch({ lang, onLang }: { lang: Lang; onLang: (l: Lang) => void }) {
  return (
    <select
      aria-label="Language / 语言"
      className="lang"
      value={lang}
      onChange={(e) => onLang(e.target.value as Lang)}
    >
      {(Object.keys(LANGS) as Lang[]).map((l) => (
        <option key={l} value={l}>
          {LANGS[l].label}
        </option>
      ))}
    </select>
  );
}
