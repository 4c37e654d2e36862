import type { SmsInbound } from './inbound.js';
import type { SmsOptOuts } from './opt-outs.js';
import type { SmsTopics } from './topics.js';
import type { WorkOrders } from './work-orders.js';
import type { SmsConversations } from './conversations.js';
import type { SmsWebhooks } from './webhooks.js';

/** The inbound side of the SMS platform, as the API sees it. */
export interface SmsMoServices {
  inbound: SmsInbound;
  optOuts: SmsOptOuts;
  topics: SmsTopics;
  workOrders: WorkOrders;
  conversations: SmsConversations;
  webhooks: SmsWebhooks;
}
