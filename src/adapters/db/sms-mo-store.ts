// The MoStore port (inbound SMS, opt-outs, topics, work orders, webhook outbox) on drizzle.
import { and, asc, desc, eq, gte, inArray, lt, lte, type SQL } from 'drizzle-orm';
import type { Database, Db } from './database.js';
import { interactions, smsMessages } from './schema.js';
import {
  smsClientWebhooks,
  smsInbound,
  smsInboundParts,
  smsOptOuts,
  smsSubscriptions,
  smsTopics,
  webhookDeliveries,
  workOrderEvents,
  workOrders,
} from './schema-sms-mo.js';
import type {
  InboundSmsRecord,
  MoStore,
  TopicRecord,
  WebhookDeliveryRecord,
  WorkOrderRecord,
} from '../../services/sms/mo-ports.js';

const toInbound = (r: typeof smsInbound.$inferSelect): InboundSmsRecord => r;
const toTopic = (r: typeof smsTopics.$inferSelect) => r as TopicRecord;
const toWorkOrder = (r: typeof workOrders.$inferSelect) => r as WorkOrderRecord;
const toDelivery = (r: typeof webhookDeliveries.$inferSelect) => r as WebhookDeliveryRecord;

function storeOn(db: Db, inTx: boolean): MoStore {
  return {
    inbound: {
      async insert(r) {
        await db.insert(smsInbound).values(r);
      },
      async byId(id) {
        const [r] = await db.select().from(smsInbound).where(eq(smsInbound.id, id));
        return r && toInbound(r);
      },
      async seenSince(fingerprint, since) {
        const rows = await db
          .select({ id: smsInbound.id })
          .from(smsInbound)
          .where(and(eq(smsInbound.fingerprint, fingerprint), gte(smsInbound.receivedAt, since)))
          .limit(1);
        return rows.length > 0;
      },
      async setOutcome(id, outcome) {
        await db.update(smsInbound).set({ outcome }).where(eq(smsInbound.id, id));
      },
      async list(q) {
        const rows = await db
          .select()
          .from(smsInbound)
          .where(q.sender ? eq(smsInbound.sender, q.sender) : undefined)
          .orderBy(desc(smsInbound.receivedAt), desc(smsInbound.id))
          .limit(q.limit)
          .offset(q.offset);
        return rows.map(toInbound);
      },
    },
    parts: {
      async insert(p) {
        const rows = await db
          .insert(smsInboundParts)
          .values(p)
          .onConflictDoNothing()
          .returning({ seq: smsInboundParts.seq });
        return rows.length > 0;
      },
      group(groupKey) {
        return db
          .select()
          .from(smsInboundParts)
          .where(eq(smsInboundParts.groupKey, groupKey))
          .orderBy(asc(smsInboundParts.seq));
      },
      async deleteGroup(groupKey) {
        await db.delete(smsInboundParts).where(eq(smsInboundParts.groupKey, groupKey));
      },
      async deleteBefore(at) {
        const rows = await db
          .delete(smsInboundParts)
          .where(lt(smsInboundParts.receivedAt, at))
          .returning({ seq: smsInboundParts.seq });
        return rows.length;
      },
    },
    optOuts: {
      async upsert(r) {
        await db
          .insert(smsOptOuts)
          .values(r)
          .onConflictDoUpdate({
            target: smsOptOuts.phone,
            set: { at: r.at, source: r.source, keyword: r.keyword },
          });
      },
      async remove(phone) {
        const rows = await db
          .delete(smsOptOuts)
          .where(eq(smsOptOuts.phone, phone))
          .returning({ phone: smsOptOuts.phone });
        return rows.length > 0;
      },
      async get(phone) {
        const [r] = await db.select().from(smsOptOuts).where(eq(smsOptOuts.phone, phone));
        return r;
      },
      list(q) {
        return db.select().from(smsOptOuts).orderBy(desc(smsOptOuts.at)).limit(q.limit).offset(q.offset);
      },
      async among(phones) {
        const out = new Set<string>();
        for (let i = 0; i < phones.length; i += 1000) {
          const rows = await db
            .select({ phone: smsOptOuts.phone })
            .from(smsOptOuts)
            .where(inArray(smsOptOuts.phone, phones.slice(i, i + 1000)));
          for (const r of rows) out.add(r.phone);
        }
        return out;
      },
    },
    topics: {
      async insert(t) {
        await db.insert(smsTopics).values(t);
      },
      async byId(id) {
        const [r] = await db.select().from(smsTopics).where(eq(smsTopics.id, id));
        return r && toTopic(r);
      },
      async byKeyword(keyword) {
        const [r] = await db.select().from(smsTopics).where(eq(smsTopics.keyword, keyword));
        return r && toTopic(r);
      },
      async list() {
        return (await db.select().from(smsTopics).orderBy(asc(smsTopics.name))).map(toTopic);
      },
      async update(id, patch) {
        await db.update(smsTopics).set(patch).where(eq(smsTopics.id, id));
      },
      async delete(id) {
        const rows = await db.delete(smsTopics).where(eq(smsTopics.id, id)).returning({ id: smsTopics.id });
        return rows.length > 0;
      },
      async subscribe(s) {
        const rows = await db
          .insert(smsSubscriptions)
          .values(s)
          .onConflictDoNothing()
          .returning({ phone: smsSubscriptions.phone });
        return rows.length > 0;
      },
      async unsubscribe(topicId, phone) {
        const rows = await db
          .delete(smsSubscriptions)
          .where(and(eq(smsSubscriptions.topicId, topicId), eq(smsSubscriptions.phone, phone)))
          .returning({ phone: smsSubscriptions.phone });
        return rows.length > 0;
      },
      subscribers(topicId) {
        return db
          .select()
          .from(smsSubscriptions)
          .where(eq(smsSubscriptions.topicId, topicId))
          .orderBy(asc(smsSubscriptions.createdAt), asc(smsSubscriptions.phone));
      },
      subscriptionsOf(phone) {
        return db.select().from(smsSubscriptions).where(eq(smsSubscriptions.phone, phone));
      },
    },
    workOrders: {
      async insert(w) {
        const [r] = await db.insert(workOrders).values(w).returning();
        return toWorkOrder(r!);
      },
      async byId(id) {
        const [r] = await db.select().from(workOrders).where(eq(workOrders.id, id));
        return r && toWorkOrder(r);
      },
      async byReference(reference) {
        const [r] = await db.select().from(workOrders).where(eq(workOrders.reference, reference));
        return r && toWorkOrder(r);
      },
      async list(q) {
        const rows = await db
          .select()
          .from(workOrders)
          .where(q.state ? eq(workOrders.state, q.state) : undefined)
          .orderBy(desc(workOrders.createdAt), desc(workOrders.reference))
          .limit(q.limit)
          .offset(q.offset);
        return rows.map(toWorkOrder);
      },
      async update(id, patch) {
        await db.update(workOrders).set(patch).where(eq(workOrders.id, id));
      },
      async appendEvent(e) {
        await db.insert(workOrderEvents).values(e);
      },
      events(id) {
        return db
          .select()
          .from(workOrderEvents)
          .where(eq(workOrderEvents.workOrderId, id))
          .orderBy(asc(workOrderEvents.id));
      },
    },
    webhooks: {
      async insert(d) {
        await db.insert(webhookDeliveries).values(d);
      },
      async due(now, limit) {
        const rows = await db
          .select()
          .from(webhookDeliveries)
          .where(and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, now)))
          .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.createdAt))
          .limit(limit);
        return rows.map(toDelivery);
      },
      async nextDueAt() {
        const [r] = await db
          .select({ at: webhookDeliveries.nextAttemptAt })
          .from(webhookDeliveries)
          .where(eq(webhookDeliveries.status, 'pending'))
          .orderBy(asc(webhookDeliveries.nextAttemptAt))
          .limit(1);
        return r?.at;
      },
      async update(id, patch) {
        await db.update(webhookDeliveries).set(patch).where(eq(webhookDeliveries.id, id));
      },
      async list(q) {
        const conds: SQL[] = [];
        if (q.status) conds.push(eq(webhookDeliveries.status, q.status));
        const rows = await db
          .select()
          .from(webhookDeliveries)
          .where(conds.length ? and(...conds) : undefined)
          .orderBy(desc(webhookDeliveries.createdAt))
          .limit(q.limit)
          .offset(q.offset);
        return rows.map(toDelivery);
      },
    },
    clientWebhooks: {
      async put(w) {
        await db
          .insert(smsClientWebhooks)
          .values(w)
          .onConflictDoUpdate({
            target: smsClientWebhooks.accountId,
            set: { url: w.url, secret: w.secret, updatedAt: w.updatedAt },
          });
      },
      async remove(accountId) {
        const rows = await db
          .delete(smsClientWebhooks)
          .where(eq(smsClientWebhooks.accountId, accountId))
          .returning({ accountId: smsClientWebhooks.accountId });
        return rows.length > 0;
      },
      list() {
        return db.select().from(smsClientWebhooks);
      },
    },
    async accountOfMessage(messageId) {
      const [r] = await db
        .select({ accountId: smsMessages.accountId })
        .from(smsMessages)
        .where(eq(smsMessages.id, messageId));
      return r ? r.accountId : undefined;
    },
    async openSmsInteraction(fromAddress) {
      const [r] = await db
        .select({ id: interactions.id, agentId: interactions.agentId })
        .from(interactions)
        .where(
          and(
            eq(interactions.channel, 'sms'),
            eq(interactions.fromAddress, fromAddress),
            inArray(interactions.status, ['queued', 'offered', 'active']),
          ),
        )
        .orderBy(desc(interactions.createdAt))
        .limit(1);
      return r;
    },
    transaction: (fn) =>
      inTx ? fn(storeOn(db, true)) : db.transaction((tx) => fn(storeOn(tx as unknown as Db, true))),
  };
}

/** The MoStore port on PGlite or PostgreSQL. */
export function createMoStore(database: Database): MoStore {
  return storeOn(database.db, false);
}
