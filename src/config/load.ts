import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from './schema.js';
import { DomainError } from '../domain/errors.js';
import { applySipEnv, checkSip } from './sip-env.js';
import { smsRoutesOf } from './sms-routes.js';
import { applyVoiceEnv, checkVoice } from './voice-env.js';

type Env = Record<string, string | undefined>;

/** Environment variables and the config path each one sets. */
const ENV_KEYS: Record<string, { path: string[]; kind: 'string' | 'int' | 'number' | 'bool' }> = {
  HOTLINE_HOST: { path: ['http', 'host'], kind: 'string' },
  HOTLINE_PORT: { path: ['http', 'port'], kind: 'int' },
  PORT: { path: ['http', 'port'], kind: 'int' },
  HOTLINE_BODY_LIMIT_BYTES: { path: ['http', 'bodyLimitBytes'], kind: 'int' },
  HOTLINE_TRUST_PROXY: { path: ['http', 'trustProxy'], kind: 'bool' },
  DATABASE_URL: { path: ['database', 'url'], kind: 'string' },
  HOTLINE_DATA_DIR: { path: ['database', 'dataDir'], kind: 'string' },
  HOTLINE_ADMIN_USERNAME: { path: ['auth', 'adminUsername'], kind: 'string' },
  HOTLINE_ADMIN_PASSWORD: { path: ['auth', 'adminPassword'], kind: 'string' },
  HOTLINE_SESSION_TTL_HOURS: { path: ['auth', 'sessionTtlHours'], kind: 'number' },
  HOTLINE_DEFAULT_COUNTRY: { path: ['defaultCountry'], kind: 'string' },
  HOTLINE_TIME_ZONE: { path: ['timeZone'], kind: 'string' },
  HOTLINE_LOG_LEVEL: { path: ['log', 'level'], kind: 'string' },
  HOTLINE_EVENTS_RESUME_WINDOW: { path: ['events', 'resumeWindow'], kind: 'int' },
  HOTLINE_SMS_DEFAULT_SENDER: { path: ['sms', 'defaultSender'], kind: 'string' },
  HOTLINE_ALARM_INTERVAL_SEC: { path: ['alarms', 'intervalSec'], kind: 'int' },
  HOTLINE_ALARM_RENOTIFY_MIN: { path: ['alarms', 'reNotifyMin'], kind: 'int' },
  HOTLINE_ALARM_DB_SLOW_MS: { path: ['alarms', 'databaseSlowMs'], kind: 'int' },
  HOTLINE_ALARM_DISK_MIN_FREE_PERCENT: { path: ['alarms', 'diskMinFreePercent'], kind: 'number' },
  HOTLINE_ALARM_QUEUE_WAIT_MAX_SEC: { path: ['alarms', 'queueWaitMaxSec'], kind: 'int' },
  HOTLINE_SMS_CALLBACK_URL: { path: ['sms', 'callbackBaseUrl'], kind: 'string' },
  HOTLINE_SMS_RECIPIENT_ZONE: { path: ['sms', 'recipientZone'], kind: 'string' },
  HOTLINE_SMS_CURRENCY: { path: ['sms', 'currency'], kind: 'string' },
  HOTLINE_SMS_QUEUE: { path: ['sms', 'inbound', 'queue'], kind: 'string' },
  HOTLINE_SMS_WEBHOOK_URL: { path: ['sms', 'webhook', 'url'], kind: 'string' },
  HOTLINE_SMS_WEBHOOK_SECRET: { path: ['sms', 'webhook', 'secret'], kind: 'string' },
  HOTLINE_SMS_WEBHOOK_RETRY_BASE_MS: { path: ['sms', 'webhook', 'retryBaseMs'], kind: 'int' },
  HOTLINE_SIP_ENABLED: { path: ['sip', 'enabled'], kind: 'bool' },
  HOTLINE_SIP_HOST: { path: ['sip', 'host'], kind: 'string' },
  HOTLINE_SIP_PORT: { path: ['sip', 'port'], kind: 'int' },
  HOTLINE_SIP_TCP: { path: ['sip', 'tcp'], kind: 'bool' },
  HOTLINE_VOICEMAIL_DIR: { path: ['sip', 'voicemailDir'], kind: 'string' },
  HOTLINE_SIP_REALM: { path: ['sip', 'realm'], kind: 'string' },
  HOTLINE_RECORDINGS_DIR: { path: ['sip', 'recordingsDir'], kind: 'string' },
  HOTLINE_SIP_SHUTDOWN_PROMPT_MS: { path: ['sip', 'shutdownPromptMs'], kind: 'int' },
  HOTLINE_MEDIA_NATIVE: { path: ['sip', 'mediaNative'], kind: 'bool' },
  HOTLINE_WEBRTC_RECONNECT_GRACE_SECONDS: { path: ['webrtc', 'reconnectGraceSeconds'], kind: 'int' },
};

/** Settings of the SMSC that only make sense with HOTLINE_SMSC_URL. */
const SMSC_ENV_KEYS: Record<string, { key: string; kind: 'int' | 'number' }> = {
  HOTLINE_SMSC_RATE: { key: 'submitsPerSecond', kind: 'number' },
  HOTLINE_SMSC_WINDOW: { key: 'windowSize', kind: 'int' },
  HOTLINE_SMSC_RESPONSE_TIMEOUT_MS: { key: 'responseTimeoutMs', kind: 'int' },
};

/** smpp://systemId:password@host:port → the sms.smsc object. */
function parseSmscUrl(raw: string): Record<string, unknown> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DomainError(
      'CONFIG_INVALID',
      'HOTLINE_SMSC_URL: not a URL (expected smpp://systemId:password@host:port)',
    );
  }
  if (url.protocol !== 'smpp:' || !url.hostname || !url.username) {
    throw new DomainError('CONFIG_INVALID', 'HOTLINE_SMSC_URL: expected smpp://systemId:password@host:port');
  }
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 2775,
    systemId: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

function applySmscEnv(raw: Record<string, unknown>, env: Env): void {
  const url = env.HOTLINE_SMSC_URL;
  if (url !== undefined && url !== '') {
    const sms = (raw.sms ??= {}) as Record<string, unknown>;
    sms.smsc = { ...(sms.smsc as object | null | undefined), ...parseSmscUrl(url) };
  }
  for (const [name, spec] of Object.entries(SMSC_ENV_KEYS)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    const smsc = (raw.sms as Record<string, unknown> | undefined)?.smsc;
    if (typeof smsc !== 'object' || smsc === null) {
      throw new DomainError('CONFIG_INVALID', `${name}: set HOTLINE_SMSC_URL (or sms.smsc) too`);
    }
    (smsc as Record<string, unknown>)[spec.key] = coerce(name, v, spec.kind);
  }
}

function coerce(name: string, raw: string, kind: 'string' | 'int' | 'number' | 'bool'): unknown {
  if (kind === 'string') return raw;
  if (kind === 'bool') {
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
    throw new DomainError('CONFIG_INVALID', `${name}: expected true or false, got "${raw}"`);
  }
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n))) {
    throw new DomainError(
      'CONFIG_INVALID',
      `${name}: expected ${kind === 'int' ? 'an integer' : 'a number'}, got "${raw}"`,
    );
  }
  return n;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = obj;
  for (const key of path.slice(0, -1)) {
    const next = cur[key];
    if (typeof next !== 'object' || next === null) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the configuration from an optional JSON file (HOTLINE_CONFIG) and environment variables,
 * which win. Throws CONFIG_INVALID naming every bad value.
 * @example loadConfig({ HOTLINE_PORT: '9000' }).http.port // 9000
 */
export function loadConfig(env: Env): Config {
  let raw: Record<string, unknown> = {};
  const file = env.HOTLINE_CONFIG;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new DomainError('CONFIG_INVALID', `HOTLINE_CONFIG: cannot read ${file}: ${(e as Error).message}`);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      raw = parsed as Record<string, unknown>;
    } catch (e) {
      throw new DomainError('CONFIG_INVALID', `${file}: not a JSON object (${(e as Error).message})`);
    }
  }
  for (const [name, spec] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') setPath(raw, spec.path, coerce(name, v, spec.kind));
  }
  // A comma-separated list of numbers.
  const onCall = env.HOTLINE_ALARM_ONCALL;
  if (onCall)
    setPath(
      raw,
      ['alarms', 'onCall'],
      onCall
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    );
  applySmscEnv(raw, env);
  applySipEnv(raw, env);
  applyVoiceEnv(raw, env);
  const withDefaults = Value.Default(ConfigSchema, Value.Clone(raw));
  const errors = [...Value.Errors(ConfigSchema, withDefaults)];
  if (errors.length > 0) {
    const lines = errors.slice(0, 10).map((e) => `${e.path || '/'}: ${e.message}`);
    throw new DomainError('CONFIG_INVALID', `invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const config = withDefaults as Config;
  if (!validTimeZone(config.timeZone)) {
    throw new DomainError(
      'CONFIG_INVALID',
      `invalid configuration:\n  /timeZone: unknown time zone "${config.timeZone}"`,
    );
  }
  const zones = [config.sms.recipientZone, ...Object.values(config.sms.recipientZones)];
  const badZone = zones.find((z) => z !== null && !validTimeZone(z));
  if (badZone) {
    throw new DomainError('CONFIG_INVALID', `invalid configuration:\n  /sms: unknown time zone "${badZone}"`);
  }
  checkSip(config);
  checkVoice(config);
  smsRoutesOf(config.sms);
  return config;
}
