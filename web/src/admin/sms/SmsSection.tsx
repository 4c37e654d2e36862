import { useState } from 'react';
import { useT } from '../../i18n';
import { MonitorPanel } from './MonitorPanel';
import { MessagesPanel } from './MessagesPanel';
import { CampaignsPanel } from './CampaignsPanel';
import { AccountsPanel } from './AccountsPanel';
import { DunningPanel } from './DunningPanel';
import { WebhooksPanel } from './WebhooksPanel';

const PAGES = ['monitor', 'messages', 'campaigns', 'accounts', 'dunning', 'webhooks'] as const;
type Page = (typeof PAGES)[number];

/**
 * The SMS platform in the admin console: monitor, message search, campaigns, accounts and
 * billing, dunning plans and per-client webhooks — all over the public SMS API. Loaded on demand.
 */
export function SmsSection() {
  const t = useT();
  const [page, setPage] = useState<Page>('monitor');
  return (
    <div className="sms">
      <div className="tabs subtabs" role="tablist" aria-label={t.sms.title}>
        {PAGES.map((p) => (
          <button
            key={p}
            role="tab"
            aria-selected={page === p}
            className={page === p ? 'active' : ''}
            onClick={() => setPage(p)}
          >
            {t.sms.pages[p]}
          </button>
        ))}
      </div>
      <section role="tabpanel" aria-label={t.sms.pages[page]}>
        {page === 'monitor' && <MonitorPanel />}
        {page === 'messages' && <MessagesPanel />}
        {page === 'campaigns' && <CampaignsPanel />}
        {page === 'accounts' && <AccountsPanel />}
        {page === 'dunning' && <DunningPanel />}
        {page === 'webhooks' && <WebhooksPanel />}
      </section>
    </div>
  );
}
