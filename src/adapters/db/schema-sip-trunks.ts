/**
 * SIP trunks added in the admin console (those of the configuration file's sip.trunks are not
 * stored). Re-exported by schema.ts, so migrations include it.
 */
import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const sipTrunks = pgTable('sip_trunks', {
  /** Unique across console and configuration trunks; the trunk's key in the API and alarms. */
  name: text('name').primaryKey(),
  /** Addresses or CIDR ranges whose INVITEs are admitted without authentication. */
  sources: jsonb('sources').$type<string[]>().notNull(),
  /** Numbers (DIDs) these sources may call; '*' for any. */
  dids: jsonb('dids').$type<string[]>().notNull(),
  /** The carrier's proxy, host[:port]; null for an inbound-only trunk. */
  outboundProxy: text('outbound_proxy'),
  transport: text('transport').notNull(),
  domain: text('domain'),
  username: text('username'),
  /** Kept as is: digest answers to the carrier's challenges need it (never returned by the API). */
  password: text('password'),
  registerExpires: integer('register_expires').notNull(),
  callerId: text('caller_id'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * The trunk an admin chose in the console for calls out (one row, slot 'outbound'). No foreign key:
 * it may name a configuration trunk, which is not stored. No row: the configuration decides.
 */
export const sipTrunkRoles = pgTable('sip_trunk_roles', {
  /** 'outbound' — the only role so far. */
  role: text('role').primaryKey(),
  trunk: text('trunk').notNull(),
  updatedAt: ts('updated_at').notNull(),
});
