import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, type ErrorCode } from '../domain/errors.js';
import { HTTP_STATUS } from './error-status.js';

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

function body(code: ErrorCode, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

// Fastify's own error codes for malformed requests, mapped to ours.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

/** Maps every thrown error to a stable code; unexpected ones become INTERNAL and are logged. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DomainError | Error, req, reply) => {
    if (err instanceof DomainError) {
      const limited = err.code === 'AUTH_LOGIN_RATE_LIMITED' || err.code === 'API_KEY_RATE_LIMITED';
      if (limited && typeof err.details?.retryAfterSec === 'number') {
        void reply.header('retry-after', String(err.details.retryAfterSec));
      }
      return reply.status(HTTP_STATUS[err.code]).send(body(err.code, err.message, err.details));
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const first = fe.validation[0];
      const path =
        first?.instancePath || (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
      return reply.status(400).send(
        body(
          'VALIDATION_FAILED',
          `${fe.validationContext ?? 'request'}${path ? ` ${path}` : ''}: ${first?.message ?? 'invalid'}`,
          {
            context: fe.validationContext,
            path: first?.instancePath ?? '',
            errors: fe.validation.slice(0, 10).map((v) => ({ path: v.instancePath, message: v.message })),
          },
        ),
      );
    }
    const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
    if (mapped) return reply.status(HTTP_STATUS[mapped]).send(body(mapped, fe.message));
    if (err instanceof SyntaxError || (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)) {
      return reply.status(fe.statusCode ?? 400).send(body('VALIDATION_FAILED', fe.message));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('INTERNAL', 'Something went wrong on our side; it has been logged.'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send(body('ROUTE_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`)),
  );
}

/** Schema of the error body, for the OpenAPI document. */
export const ErrorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;
