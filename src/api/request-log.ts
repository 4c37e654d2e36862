import type { Logger } from 'pino';

/** What the request log keeps of a request. */
interface LoggedRequest {
  method: string;
  url: string;
  hostname?: string;
  remoteAddress?: string;
  remotePort?: number;
}

interface RequestLike {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number } | null;
}

/**
 * The request as it goes into the log: the path without its query string. Query strings carry
 * playback tickets, event-stream tokens and searched phone numbers, none of which belong in an
 * info-level log.
 */
export function requestForLog(req: RequestLike): LoggedRequest {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return {
    method: req.method ?? '',
    url: q < 0 ? url : `${url.slice(0, q)}?…`,
    hostname: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** The API's logger: the given one with the request serializer above (Fastify keeps it for requests). */
export function requestLogger(log: Logger): Logger {
  return log.child({}, { serializers: { req: requestForLog } });
}
