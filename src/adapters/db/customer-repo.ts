import { and, asc, eq, ilike, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import { customerPhones, customers } from './schema.js';
import type { CustomerRepo } from '../../services/ports.js';
import type { CustomerRecord } from '../../services/records.js';

export function customerRepo(db: Db): CustomerRepo {
  async function withPhones(rows: (typeof customers.$inferSelect)[]): Promise<CustomerRecord[]> {
    if (rows.length === 0) return [];
    const phones = await db
      .select()
      .from(customerPhones)
      .where(
        inArray(
          customerPhones.customerId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(customerPhones.number);
    return rows.map((r) => ({
      ...r,
      phones: phones.filter((p) => p.customerId === r.id).map((p) => p.number),
    }));
  }
  async function writePhones(id: string, phones: string[]) {
    await db.delete(customerPhones).where(eq(customerPhones.customerId, id));
    if (phones.length)
      await db.insert(customerPhones).values(phones.map((number) => ({ number, customerId: id })));
  }
  return {
    async insert(c) {
      const { phones, ...row } = c;
      await db.insert(customers).values(row);
      await writePhones(c.id, phones);
    },
    async byId(id) {
      return (await withPhones(await db.select().from(customers).where(eq(customers.id, id))))[0];
    },
    async byPhone(e164) {
      const [p] = await db.select().from(customerPhones).where(eq(customerPhones.number, e164));
      if (!p) return undefined;
      return (await withPhones(await db.select().from(customers).where(eq(customers.id, p.customerId))))[0];
    },
    async phonesTaken(numbers, exceptCustomerId) {
      if (numbers.length === 0) return [];
      const conds: SQL[] = [inArray(customerPhones.number, numbers)];
      if (exceptCustomerId) conds.push(ne(customerPhones.customerId, exceptCustomerId));
      const rows = await db
        .select()
        .from(customerPhones)
        .where(and(...conds));
      return rows.map((r) => r.number);
    },
    async update(c) {
      const { phones, id, createdAt: _c, ...row } = c;
      await db.update(customers).set(row).where(eq(customers.id, id));
      await writePhones(id, phones);
    },
    async search(q) {
      const conds: SQL[] = [];
      if (q.q) {
        const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
        const byPhone = db
          .select({ id: customerPhones.customerId })
          .from(customerPhones)
          .where(ilike(customerPhones.number, like));
        conds.push(or(ilike(customers.name, like), inArray(customers.id, byPhone))!);
      }
      if (q.tag) conds.push(sql`${customers.tags} @> ${JSON.stringify([q.tag])}::jsonb`);
      if (q.vip !== undefined) conds.push(eq(customers.vip, q.vip));
      if (q.blacklisted !== undefined) conds.push(eq(customers.blacklisted, q.blacklisted));
      const rows = await db
        .select()
        .from(customers)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(asc(customers.name), asc(customers.id))
        .limit(q.limit)
        .offset(q.offset);
      return withPhones(rows);
    },
    async delete(id) {
      return (await db.delete(customers).where(eq(customers.id, id)).returning()).length > 0;
    },
  };
}
