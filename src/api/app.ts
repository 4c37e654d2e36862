import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import type { Logger } from 'pino';
import type { AppServices } from '../services/app-services.js';
import { registerErrorHandling, ErrorSchema } from './errors.js';
import { makeGuard } from './auth.js';
import { requestLogger } from './request-log.js';
import { healthRoutes } from './routes/health.js';
import { authRoutes } from './routes/auth.js';
import { userRoutes } from './routes/users.js';
import { catalogRoutes } from './routes/catalog.js';
import { agentRoutes } from './routes/agents.js';
import { queueRoutes } from './routes/queues.js';
import { customerRoutes } from './routes/customers.js';
import { interactionRoutes } from './routes/interactions.js';
import { auditRoutes } from './routes/audit.js';
import { eventRoutes } from './routes/events.js';
import { smsRoutes } from './routes/sms.js';
import { smsCampaignRoutes } from './routes/sms-campaigns.js';
import { smsDunningRoutes } from './routes/sms-dunning.js';
import { smsWebhookRoutes } from './routes/sms-webhooks.js';
import { alarmRoutes } from './routes/alarms.js';
import { smsPlatformRoutes } from './routes/sms-platform.js';
import { smsAccountRoutes } from './routes/sms-accounts.js';
import { smsInboundRoutes } from './routes/sms-inbound.js';
import { ivrRoutes } from './routes/ivr.js';
import { telephonyAdminRoutes } from './routes/telephony-admin.js';
import { recordingRoutes } from './routes/recordings.js';
import { voiceRoutes } from './routes/voice.js';
import { callControlRoutes } from './routes/call-control.js';
import { consultRoutes } from './routes/consult.js';
import { supervisionRoutes } from './routes/supervision.js';
import { dialOutRoutes } from './routes/dial-out.js';
import type { Api } from './routes/context.js';
import { registerWebApp } from './web.js';

export interface AppOptions {
  logger: Logger | false;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  trustProxy: boolean;
  version: string;
  /** The built web app (web/dist); null or missing → `/` redirects to the API docs. */
  webDir?: string | null;
}

export type App = Api;

/** Builds the HTTP/WebSocket API on top of the services (no listening yet). */
export async function buildApp(services: AppServices, opts: AppOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: (opts.logger ? requestLogger(opts.logger) : undefined) as FastifyBaseLogger | undefined,
    logger: opts.logger ? undefined : false,
    bodyLimit: opts.bodyLimitBytes,
    requestTimeout: opts.requestTimeoutMs,
    trustProxy: opts.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('principal', null);
  // The API speaks JSON only; anything else is 415 rather than a confusing validation error.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  app.addSchema({ $id: 'Error', ...ErrorSchema });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hotline API',
        version: opts.version,
        description:
          'Contact-center API. Authenticate with `Authorization: Bearer <session token>` (from POST /api/auth/login) ' +
          'or `X-API-Key: <key>`. Errors answer `{ "error": { "code", "message", "details" } }`; codes are listed in docs/errors.md.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  const guard = makeGuard(services.auth);
  const ctx = { services, guard };
  await app.register(
    (api, _opts, done) => {
      api.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
      healthRoutes(api, ctx);
      authRoutes(api, ctx);
      userRoutes(api, ctx);
      catalogRoutes(api, ctx);
      agentRoutes(api, ctx);
      queueRoutes(api, ctx);
      customerRoutes(api, ctx);
      interactionRoutes(api, ctx);
      auditRoutes(api, ctx);
      eventRoutes(api, ctx);
      smsPlatformRoutes(api, ctx);
      smsRoutes(api, ctx);
      smsCampaignRoutes(api, ctx);
      smsDunningRoutes(api, ctx);
      smsWebhookRoutes(api, ctx);
      alarmRoutes(api, ctx);
      smsAccountRoutes(api, ctx);
      smsInboundRoutes(api, ctx);
      ivrRoutes(api, ctx);
      telephonyAdminRoutes(api, ctx);
      voiceRoutes(api, ctx);
      recordingRoutes(api, ctx);
      callControlRoutes(api, ctx);
      consultRoutes(api, ctx);
      supervisionRoutes(api, ctx);
      dialOutRoutes(api, ctx);
      done();
    },
    { prefix: '/api' },
  );
  const web = opts.webDir ? await registerWebApp(app, opts.webDir) : false;
  if (!web) app.get('/', { schema: { hide: true } }, (_req, reply) => reply.redirect('/api/docs'));
  await app.ready();
  return app;
}
