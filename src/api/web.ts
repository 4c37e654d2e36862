import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { DomainError } from '../domain/errors.js';
import type { Api } from './routes/context.js';

/**
 * Serves the built browser app (web/dist) at `/`. Unknown non-API paths answer index.html so the
 * app's own routes (/agent, /wallboard, /admin) survive a reload; /api keeps its JSON 404s.
 * Answers false when the app was not built (then `/` points at the API docs instead).
 */
export async function registerWebApp(app: Api, dir: string): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: dir,
    wildcard: false,
    setHeaders(reply, path) {
      // Vite puts a content hash in every asset name; index.html must always be fresh.
      void reply.header(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (path === '/api' || path.startsWith('/api/')) {
      throw new DomainError('ROUTE_NOT_FOUND', `No route GET ${path}`);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  return true;
}
