import { Type, type Static } from '@sinclair/typebox';
import { SmsRouteSchema } from './sms-routes.js';
import { SMS_TYPES, type SmsType } from '../domain/sms/lifecycle.js';

const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
const SendWindowSchema = Type.Object({ from: HHMM, to: HHMM }, { additionalProperties: false });
import { SmsInboundConfig, SmsWebhookConfig } from './sms-mo-schema.js';

/** The one typed configuration object, validated once at start. */
export const ConfigSchema = Type.Object(
  {
    http: Type.Object(
      {
        host: Type.String({ minLength: 1, default: '0.0.0.0' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
        bodyLimitBytes: Type.Integer({ minimum: 1024, maximum: 104857600, default: 1048576 }),
        requestTimeoutMs: Type.Integer({ minimum: 1000, default: 30000 }),
        /** Time allowed to receive a request's headers (slowloris guard). */
        headersTimeoutMs: Type.Integer({ minimum: 1000, default: 10000 }),
        trustProxy: Type.Boolean({ default: false }),
      },
      { additionalProperties: false, default: {} },
    ),
    database: Type.Object(
      {
        /** postgres://… switches from the embedded PGlite to a PostgreSQL server. */
        url: Type.Union([Type.String({ pattern: '^postgres(ql)?://' }), Type.Null()], { default: null }),
        /** Where the embedded database lives. */
        dataDir: Type.String({ minLength: 1, default: './data' }),
      },
      { additionalProperties: false, default: {} },
    ),
    auth: Type.Object(
      {
        /** Password for the first admin account; generated and printed once when absent. */
        adminPassword: Type.Union([Type.String({ minLength: 8 }), Type.Null()], { default: null }),
        adminUsername: Type.String({ minLength: 1, default: 'admin' }),
        sessionTtlHours: Type.Number({ exclusiveMinimum: 0, default: 12 }),
        loginMaxFailures: Type.Integer({ minimum: 1, default: 5 }),
        loginWindowSec: Type.Integer({ minimum: 1, default: 900 }),
      },
      { additionalProperties: false, default: {} },
    ),
    events: Type.Object(
      {
        /** How many recent events a reconnecting WebSocket client can resume from. */
        resumeWindow: Type.Integer({ minimum: 100, default: 10000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    sms: Type.Object(
      {
        /** The SMS center to submit through; null = messages are stored and wait queued. */
        smsc: Type.Union(
          [
            Type.Object(
              {
                host: Type.String({ minLength: 1 }),
                port: Type.Integer({ minimum: 1, maximum: 65535, default: 2775 }),
                systemId: Type.String({ minLength: 1, maxLength: 15 }),
                password: Type.String({ maxLength: 8 }),
                submitsPerSecond: Type.Number({ exclusiveMinimum: 0, default: 50 }),
                windowSize: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
                /** Wait for a submit_sm_resp before the message counts as uncertain. */
                responseTimeoutMs: Type.Integer({ minimum: 100, default: 10000 }),
              },
              { additionalProperties: false },
            ),
            Type.Null(),
          ],
          { default: null },
        ),
        /** SMS routes (SMSC connections) with their selection rules; see sms-routes.ts. */
        routes: Type.Array(SmsRouteSchema, { default: [] }),
        /**
         * Hotline's base URL as an HTTP gateway (Kannel) reaches it, for delivery-report callbacks;
         * null = the address Hotline listens on.
         */
        callbackBaseUrl: Type.Union([Type.String({ pattern: '^https?://' }), Type.Null()], { default: null }),
        /** Sender (alphanumeric or number) when a message names none. */
        defaultSender: Type.String({ minLength: 1, maxLength: 20, default: 'Hotline' }),
        /** Local hours (recipient's zone) each message type may be sent in; unlisted types: any time. */
        sendWindows: Type.Partial(
          Type.Object(
            Object.fromEntries(SMS_TYPES.map((t) => [t, SendWindowSchema])) as Record<
              SmsType,
              typeof SendWindowSchema
            >,
          ),
          { additionalProperties: false, default: { marketing: { from: '09:00', to: '20:00' } } },
        ),
        /** Zone for numbers of countries with several zones; null = timeZone. */
        recipientZone: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
        /** Country (ISO alpha-2) → IANA zone, overriding the built-in single-zone table. */
        recipientZones: Type.Record(Type.String({ pattern: '^[A-Z]{2}$' }), Type.String({ minLength: 1 }), {
          default: {},
        }),
        /** Currency of new SMS accounts (ISO 4217); amounts are integer minor units of it. */
        currency: Type.String({ pattern: '^[A-Z]{3}$', default: 'EUR' }),
        inbound: SmsInboundConfig,
        webhook: SmsWebhookConfig,
      },
      { additionalProperties: false, default: {} },
    ),
    alarms: Type.Object(
      {
        /** Numbers texted (alarm SMS) when a problem starts, reminds and clears; empty = no SMS. */
        onCall: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { default: [] }),
        /** How often the health checks run. */
        intervalSec: Type.Integer({ minimum: 1, default: 30 }),
        /** A reminder while a problem lasts, every so often; 0 = none. */
        reNotifyMin: Type.Integer({ minimum: 0, default: 60 }),
        /** The probe query taking longer than this is a problem. */
        databaseSlowMs: Type.Integer({ minimum: 1, default: 500 }),
        /** Less free space than this on the data disk is a problem. */
        diskMinFreePercent: Type.Number({ minimum: 0, maximum: 100, default: 10 }),
        /** A caller waiting longer than this in any queue is a problem. */
        queueWaitMaxSec: Type.Integer({ minimum: 1, default: 600 }),
      },
      { additionalProperties: false, default: {} },
    ),
    sip: Type.Object(
      {
        /** Answer calls over SIP; off by default so a plain start opens no voice ports. */
        enabled: Type.Boolean({ default: false }),
        host: Type.String({ minLength: 1, default: '0.0.0.0' }),
        /** UDP port, and TCP's too; 0 picks a free one (tests). */
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 5060 }),
        /** Also take calls over TCP on the same port. */
        tcp: Type.Boolean({ default: true }),
        /**
         * Carriers and PBXs: which source addresses may send calls (unauthenticated) to which
         * numbers, and how to reach them. With none configured every source is admitted.
         */
        trunks: Type.Array(
          Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 100 }),
              /** IPv4/IPv6 addresses or CIDR ranges the trunk's INVITEs come from. */
              sources: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
              /** The numbers (DIDs) it may call; "*" for any. */
              dids: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1 }),
              /** The carrier's proxy/registrar, host[:port]. */
              outboundProxy: Type.Optional(Type.String({ minLength: 1 })),
              transport: Type.Union([Type.Literal('udp'), Type.Literal('tcp')], { default: 'udp' }),
              /** The carrier's SIP domain (defaults to the proxy's host). */
              domain: Type.Optional(Type.String({ minLength: 1 })),
              username: Type.Optional(Type.String({ minLength: 1 })),
              password: Type.Optional(Type.String({ minLength: 1 })),
              /** Register with the outbound proxy every so many seconds; 0 (default) for IP trust only. */
              registerExpires: Type.Integer({ minimum: 0, maximum: 86400, default: 0 }),
              /** The center's number sent on calls out through this trunk; default voice.callerId. */
              callerId: Type.Optional(Type.String({ minLength: 1, maxLength: 21 })),
            },
            { additionalProperties: false },
          ),
          { default: [] },
        ),
        rtpPortMin: Type.Integer({ minimum: 1024, maximum: 65535, default: 20000 }),
        rtpPortMax: Type.Integer({ minimum: 1024, maximum: 65535, default: 20999 }),
        /**
         * RTP through the native batch addon (native/rtp-io) when it is built; false forces
         * node:dgram. Without the addon, dgram is used either way (and a warning logged).
         */
        mediaNative: Type.Boolean({ default: true }),
        /** Holds <language>/<prompt id>.wav (8 kHz mono). */
        promptsDir: Type.String({ minLength: 1, default: './prompts' }),
        language: Type.Union([Type.Literal('en'), Type.Literal('zh')], { default: 'en' }),
        /** Voicemail WAV files; default <database.dataDir>/voicemail. */
        voicemailDir: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
        /** Digest realm of agents' phones; their SIP passwords are stored hashed for it (HA1). */
        realm: Type.String({ minLength: 1, maxLength: 100, default: 'hotline' }),
        /** Where call recordings (stereo WAV) are written. */
        recordingsDir: Type.String({ minLength: 1, default: './data/recordings' }),
        /** On shutdown, callers in the IVR or waiting hear the closing prompt for at most this long, then BYE. */
        shutdownPromptMs: Type.Integer({ minimum: 0, maximum: 30000, default: 4000 }),
        /** The IVR flow every inbound call runs (checked with assertFlow at start). */
        defaultFlow: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
          default: null,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Calls out through a SIP trunk: IVR transfers, transfers to a number, dial-out. */
    voice: Type.Object(
      {
        /** The center's number shown to called parties (E.164 digits, optional "+"). */
        callerId: Type.Union([Type.String({ minLength: 1, maxLength: 21 }), Type.Null()], { default: null }),
        /** Asterisk-style patterns of the numbers that may be dialled out; empty = none. */
        dialPlan: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { default: [] }),
        /** The trunk (sip.trunks name) calls go out through; null = the first one with an outboundProxy. */
        outboundTrunk: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
        /** An external party not answering within this long is given up (CANCEL). */
        ringTimeoutSec: Type.Integer({ minimum: 5, maximum: 300, default: 45 }),
        /** OPTIONS ping to each trunk's outbound proxy this often; 0 = no pings. */
        trunkPingSec: Type.Integer({ minimum: 0, maximum: 3600, default: 30 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** The browser softphone. */
    webrtc: Type.Object(
      {
        /**
         * A browser softphone that loses its connection mid-call has this long to come back (the
         * caller hears hold music meanwhile); then the caller returns to the queue at the front.
         */
        reconnectGraceSeconds: Type.Integer({ minimum: 1, maximum: 600, default: 30 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Default country for phone numbers written without +country code (ISO 3166 alpha-2). */
    defaultCountry: Type.String({ pattern: '^[A-Z]{2}$', default: 'US' }),
    /** IANA time zone of the center (business hours, daily statistics). */
    timeZone: Type.String({ minLength: 1, default: 'UTC' }),
    log: Type.Object(
      {
        level: Type.Union(
          ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
          { default: 'info' },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
