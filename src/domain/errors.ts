/**
 * Stable error codes. Every error a user can see carries one of these; docs/errors.md lists them and
 * src/api/error-status.ts maps them to HTTP status (and later SIP/SMPP) in one place.
 */
export const ERROR_CODES = [
  // request and validation
  'VALIDATION_FAILED',
  'BODY_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL',
  // auth
  'AUTH_REQUIRED',
  'AUTH_INVALID_CREDENTIALS',
  'AUTH_LOGIN_RATE_LIMITED',
  'AUTH_FORBIDDEN',
  'AUTH_SCOPE_MISSING',
  // config
  'CONFIG_INVALID',
  // routing and agents
  'AGENT_NOT_FOUND',
  'AGENT_STATE_INVALID',
  'AGENT_HAS_WORK',
  'AGENT_NOT_AVAILABLE',
  'QUEUE_NOT_FOUND',
  'QUEUE_CLOSED',
  'QUEUE_NOT_EMPTY',
  'SKILL_NOT_FOUND',
  'TEAM_NOT_FOUND',
  'INTERACTION_NOT_FOUND',
  'INTERACTION_STATE_INVALID',
  'RESERVATION_NOT_FOUND',
  'REASON_CODE_UNKNOWN',
  'CUSTOMER_NOT_FOUND',
  'CUSTOMER_BLACKLISTED',
  'PHONE_NUMBER_INVALID',
  'PHONE_NUMBER_TAKEN',
  'USERNAME_TAKEN',
  'USER_NOT_FOUND',
  // sms
  'SMS_UNENCODABLE',
  'SMS_TOO_LONG',
  'SMS_NOT_FOUND',
  'SMS_RECIPIENT_DUPLICATE',
  'SMS_TEMPLATE_VARIABLE_MISSING',
  'SMS_CAMPAIGN_NOT_FOUND',
  'SMS_CAMPAIGN_STATE_INVALID',
  'SMS_AUDIENCE_INVALID',
  'SMS_DLR_REJECTED',
  'SMS_DLR_INVALID',
  'SMS_ACCOUNT_NOT_FOUND',
  'SMS_BALANCE_INSUFFICIENT',
  'SMS_QUOTA_EXCEEDED',
  'SMS_DESTINATION_NOT_PRICED',
  'SMS_SCHEDULE_INVALID',
  'SMS_NOT_CANCELLABLE',
  'API_KEY_RATE_LIMITED',
  // inbound sms and what it drives
  'SMS_RECIPIENT_OPTED_OUT',
  'SMS_TOPIC_NOT_FOUND',
  'SMS_TOPIC_TAKEN',
  'WORK_ORDER_NOT_FOUND',
  // sms dunning
  'SMS_DUNNING_PLAN_NOT_FOUND',
  'SMS_DUNNING_PLAN_TAKEN',
  'SMS_DUNNING_DEBTOR_NOT_FOUND',
  'SMS_DUNNING_IMPORT_INVALID',
  'INTERACTION_CHANNEL_INVALID',
  // voice: IVR flows, numbers, voicemail
  'IVR_FLOW_INVALID',
  'IVR_FLOW_NOT_FOUND',
  'IVR_FLOW_IN_USE',
  'IVR_NUMBER_NOT_FOUND',
  'IVR_NUMBER_TAKEN',
  'VOICEMAIL_NOT_FOUND',
  // voice: recorded prompts
  'PROMPT_NOT_FOUND',
  'PROMPT_NAME_INVALID',
  'PROMPT_AUDIO_INVALID',
  // voice
  'SIP_USERNAME_TAKEN',
  'RECORDING_NOT_FOUND',
  'RECORDING_NOT_ACTIVE',
  // voice: call control
  'CALL_NOT_CONNECTED',
  // voice: calls out through a trunk
  'DIAL_PLAN_REFUSED',
  'TRUNK_UNAVAILABLE',
  // voice: SIP trunks edited in the console
  'TRUNK_NOT_FOUND',
  'TRUNK_NAME_TAKEN',
  'TRUNK_READ_ONLY',
  'TRUNK_SOURCE_INVALID',
  'TRUNK_PROXY_INVALID',
  'TRUNK_OUTBOUND_NO_PROXY',
  'TRUNK_OUTBOUND_NO_CALLER_ID',
  'TRUNK_IS_OUTBOUND',
  'AGENT_PHONE_UNAVAILABLE',
  'AGENT_BUSY',
  // voice: supervision
  'SUPERVISION_ACTIVE',
  'CONSULT_ACTIVE',
  'CONSULT_NOT_ACTIVE',
  'CONSULT_STATE_INVALID',
  'SUPERVISION_NOT_ACTIVE',
  'SUPERVISOR_PHONE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An expected failure with a stable code; the message is safe to show to the caller. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
