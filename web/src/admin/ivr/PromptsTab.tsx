import { useEffect, useRef, useState } from 'react';
import { useApp } from '../../context';
import { useT } from '../../i18n';
import { Form, useList, useSubmit } from '../common';
import { startRecording } from './wav';

interface Prompt {
  language: 'en' | 'zh';
  name: string;
  builtIn: boolean;
  uploaded: boolean;
}

const path = (p: { language: string; name: string }) =>
  `/prompts/${p.language}/${encodeURIComponent(p.name)}`;

/** Prompts: play the built-in and uploaded ones, upload a WAV or record one in the browser. */
export function PromptsTab() {
  const t = useT();
  const { api, fail } = useApp();
  const submit = useSubmit();
  const [prompts, reload] = useList<Prompt>('/prompts');
  const [filter, setFilter] = useState('');
  const [f, setF] = useState({ language: 'en', name: '' });
  const [file, setFile] = useState<Blob | null>(null);
  const [recording, setRecording] = useState<{ stop: () => Blob } | null>(null);
  const [playing, setPlaying] = useState<{ label: string; url: string } | null>(null);
  const [notice, setNotice] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => () => (playing ? URL.revokeObjectURL(playing.url) : undefined), [playing]);

  const play = (p: Prompt) =>
    api
      .getBlob(`${path(p)}/audio`)
      .then((blob) => setPlaying({ label: `${p.language}/${p.name}`, url: URL.createObjectURL(blob) }), fail);
  const upload = () => {
    if (!file) return;
    api.putBlob<Prompt>(path(f), file, 'audio/wav').then((p) => {
      setNotice(t.tel.uploaded.replace('{name}', `${p.language}/${p.name}`));
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      reload();
    }, fail);
  };
  const record = () => {
    if (recording) {
      const blob = recording.stop();
      setRecording(null);
      setFile(blob);
      setPlaying({ label: t.tel.recorded, url: URL.createObjectURL(blob) });
      return;
    }
    startRecording().then(setRecording, fail);
  };
  const shown = prompts.filter((p) => !filter || p.name.includes(filter.toLowerCase()));
  return (
    <>
      <Form onSubmit={upload} label={t.tel.upload}>
        <label>
          {t.tel.language}
          <select value={f.language} onChange={(e) => setF({ ...f, language: e.target.value })}>
            <option value="en">English</option>
            <option value="zh">中文</option>
          </select>
        </label>
        <label>
          {t.tel.promptName}
          <input
            value={f.name}
            onChange={(e) => setF({ ...f, name: e.target.value })}
            required
            placeholder="welcome"
          />
        </label>
        <label>
          {t.tel.wavFile}
          <input
            ref={fileInput}
            type="file"
            accept="audio/wav,.wav"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <button type="button" onClick={record} aria-pressed={recording !== null}>
          {recording ? t.tel.stopRecording : t.tel.record}
        </button>
        <button type="submit" className="primary" disabled={!file}>
          {t.tel.uploadButton}
        </button>
      </Form>
      <p className="note">{t.tel.uploadNote}</p>
      {notice && (
        <p className="note" role="status">
          {notice}
        </p>
      )}
      {playing && (
        <div className="form-row" data-testid="prompt-player">
          <span>{playing.label}</span>
          <audio src={playing.url} controls autoPlay />
        </div>
      )}
      <input
        type="search"
        aria-label={t.admin.search}
        placeholder={t.admin.search}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <table aria-label={t.tel.prompts}>
        <thead>
          <tr>
            <th>{t.tel.language}</th>
            <th>{t.tel.promptName}</th>
            <th>{t.tel.source}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={`${p.language}/${p.name}`} data-testid="prompt-row">
              <td>{p.language}</td>
              <td>{p.name}</td>
              <td>{p.uploaded ? (p.builtIn ? t.tel.replaced : t.tel.uploadedOnly) : t.tel.builtIn}</td>
              <td>
                <button onClick={() => void play(p)}>{t.tel.play}</button>
                {p.uploaded && (
                  <button onClick={() => submit(api.del(path(p)), reload)}>
                    {p.builtIn ? t.tel.revert : t.app.delete}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
