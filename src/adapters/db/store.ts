import { sql } from 'drizzle-orm';
import type { Database, Db } from './database.js';
import type { Store } from '../../services/ports.js';
import { apiKeyRepo, auditRepo, sessionRepo, userRepo } from './auth-repos.js';
import { agentRepo, queueRepo, reasonCodeRepo, skillRepo, teamRepo } from './directory-repos.js';
import { customerRepo } from './customer-repo.js';
import { agentStateRepo, interactionRepo } from './interaction-repos.js';
import { smsRepo } from './sms-repo.js';
import { smsCampaignRepo } from './sms-campaign-repo.js';
import { smsBillingRepo } from './sms-billing-repo.js';
import { ivrFlowRepo, ivrNumberRepo, voicemailRepo } from './ivr-repos.js';
import { voiceRepo } from './voice-repo.js';
import { sipTrunkRepo } from './sip-trunk-repo.js';

function storeOn(db: Db, ping: () => Promise<void>, inTx: boolean): Store {
  return {
    users: userRepo(db),
    sessions: sessionRepo(db),
    apiKeys: apiKeyRepo(db),
    audit: auditRepo(db),
    teams: teamRepo(db),
    skills: skillRepo(db),
    agents: agentRepo(db),
    queues: queueRepo(db),
    reasonCodes: reasonCodeRepo(db),
    customers: customerRepo(db),
    interactions: interactionRepo(db),
    agentStates: agentStateRepo(db),
    sms: smsRepo(db),
    smsCampaigns: smsCampaignRepo(db),
    smsBilling: smsBillingRepo(db),
    ivrFlows: ivrFlowRepo(db),
    ivrNumbers: ivrNumberRepo(db),
    voicemails: voicemailRepo(db),
    voice: voiceRepo(db),
    sipTrunks: sipTrunkRepo(db),
    // Nested transactions run inside the outer one.
    transaction: (fn, options) =>
      inTx
        ? fn(storeOn(db, ping, true))
        : db.transaction(async (tx) => {
            // Only this transaction's commit skips the wait for the disk flush.
            if (options?.relaxedCommit) await tx.execute(sql`set local synchronous_commit = off`);
            return fn(storeOn(tx, ping, true));
          }),
    ping,
  };
}

/** The Store port on PGlite or PostgreSQL through drizzle. */
export function createStore(database: Database): Store {
  return storeOn(database.db, () => database.ping(), false);
}
