import { useEffect, useState } from 'react';
import { useApp } from '../context';
import { fmt, useT } from '../i18n';
import { duration } from '../util';
import type { Pause } from './types';

/**
 * Plays one recording in an HTML audio element. The element cannot send the session header, so
 * the player first asks for a playback link (the server checks access); seeking uses Range requests.
 */
export function RecordingPlayer(props: { recordingId: string; title: string; pauses?: Pause[] }) {
  const { api, fail } = useApp();
  const t = useT();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let gone = false;
    setUrl(null);
    api.post<{ url: string }>(`/recordings/${props.recordingId}/playback`).then((r) => {
      if (!gone) setUrl(r.url);
    }, fail);
    return () => {
      gone = true;
    };
  }, [api, fail, props.recordingId]);
  return (
    <div className="player" data-testid="player">
      <strong>{props.title}</strong>
      {url ? (
        <audio controls autoPlay preload="metadata" src={url} data-testid="player-audio" />
      ) : (
        <span className="muted">{t.app.loading}</span>
      )}
      {props.pauses && props.pauses.length > 0 && (
        <span className="muted small">
          {fmt(t.recordings.pausedSpans, {
            spans: props.pauses.map((p) => `${duration(p.fromMs)}–${duration(p.toMs)}`).join(', '),
          })}
        </span>
      )}
    </div>
  );
}
