import { Type } from '@sinclair/typebox';
import type { WebSocket } from 'ws';
import type { Api, RouteContext } from './context.js';
import { presentedSecret } from '../auth.js';
import { DomainError } from '../../domain/errors.js';
import { canSee, type HubEvent } from '../../services/events/event-hub.js';
import type { Principal } from '../../services/auth/principal.js';

// A client that cannot keep up is disconnected (it resumes from its last id on reconnect).
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;

function frame(e: HubEvent): string {
  return JSON.stringify({ id: e.id, type: e.type, at: e.at, data: e.data });
}

/**
 * The authenticated event stream. Connect to /api/events?token=…&since=<last id seen>; the server
 * sends {type:"hello"}, then every missed event after `since` (or {type:"resync"} when they left the
 * replay window), then live events — each only to those allowed to see it. An agent's stream also
 * carries the browser softphone's WebRTC signalling both ways (webrtc.* messages).
 */
export function eventRoutes(api: Api, { services }: RouteContext): void {
  const receiveSignal = (agentId: string, text: string): void => {
    try {
      services.softphones.receive(agentId, JSON.parse(text));
    } catch {
      // Not JSON: ignored like any unknown message.
    }
  };
  const { hub, auth, softphones } = services;
  api.get(
    '/events',
    {
      websocket: true,
      schema: {
        tags: ['events'],
        summary: 'WebSocket event stream (agent state, offers, interactions, queue statistics) with resume',
        querystring: Type.Object({
          token: Type.Optional(Type.String({ maxLength: 200 })),
          since: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
      },
      preValidation: async (req) => {
        const q = req.query as { token?: string };
        const secret = q.token ?? presentedSecret(req);
        const p = secret ? await auth.authenticate(secret) : undefined;
        if (!p) throw new DomainError('AUTH_REQUIRED', 'Send a valid token (query parameter "token").');
        if (p.kind === 'api_key' && !p.scopes.includes('events:read')) {
          throw new DomainError('AUTH_SCOPE_MISSING', 'This API key lacks the scope "events:read".');
        }
        req.principal = p;
      },
    },
    (socket: WebSocket, req) => {
      const p = req.principal as Principal;
      const since = (req.query as { since?: number }).since;
      const send = (text: string) => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, 'too slow; reconnect with since=<last id>');
          return;
        }
        socket.send(text);
      };
      send(JSON.stringify({ type: 'hello', lastId: hub.lastId(), resumed: since !== undefined }));
      if (since !== undefined) {
        const missed = hub.since(since);
        if (missed === 'gap') {
          send(
            JSON.stringify({
              type: 'resync',
              reason: 'events since the given id are no longer kept; reload state',
            }),
          );
        } else {
          for (const e of missed) if (canSee(p, e.audience)) send(frame(e));
        }
      }
      // Replay and subscription run in one synchronous turn: no event can fall between them.
      const unsubscribe = hub.subscribe((e) => {
        if (canSee(p, e.audience)) send(frame(e));
      });
      const agentId = p.kind === 'user' ? p.agentId : null;
      const detach = agentId === null ? () => undefined : softphones.attach(agentId, send);
      let alive = true;
      const beat = setInterval(() => {
        if (!alive) {
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, HEARTBEAT_MS);
      beat.unref();
      socket.on('pong', () => {
        alive = true;
      });
      socket.on('message', (raw) => {
        alive = true;
        if (!Buffer.isBuffer(raw)) return;
        const text = raw.toString();
        if (text === '{"type":"ping"}') send('{"type":"pong"}');
        else if (agentId !== null && text.startsWith('{"type":"webrtc.')) receiveSignal(agentId, text);
      });
      socket.on('close', () => {
        clearInterval(beat);
        unsubscribe();
        detach();
      });
      socket.on('error', () => socket.terminate());
    },
  );
}
