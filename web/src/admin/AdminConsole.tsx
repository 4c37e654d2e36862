import { lazy, Suspense, useState } from 'react';
import { useT } from '../i18n';
import { UsersTab } from './UsersTab';
import { AgentsTab } from './AgentsTab';
import { TeamsTab, SkillsTab, CodesTab } from './CatalogTabs';
import { QueuesTab } from './QueuesTab';
import { CustomersTab } from './CustomersTab';
import { AuditTab } from './AuditTab';
import { ListsTab } from './ListsTab';
import { IvrFlowsTab } from './ivr/IvrFlowsTab';
import { NumbersTab } from './ivr/NumbersTab';
import { PromptsTab } from './ivr/PromptsTab';

// The SMS section is large and used by few: its own chunk, loaded when opened.
const SmsSection = lazy(() => import('./sms/SmsSection').then((m) => ({ default: m.SmsSection })));

const TABS = [
  'users',
  'agents',
  'teams',
  'skills',
  'queues',
  'customers',
  'lists',
  'codes',
  'ivr',
  'numbers',
  'prompts',
  'sms',
  'audit',
] as const;
type Tab = (typeof TABS)[number];

/** The admin console: everything routing needs, configured over the same public API. */
export function AdminConsole() {
  const t = useT();
  const [tab, setTab] = useState<Tab>('users');
  return (
    <div className="admin">
      <div className="tabs" role="tablist" aria-label={t.admin.title}>
        {TABS.map((x) => (
          <button
            key={x}
            role="tab"
            aria-selected={tab === x}
            className={tab === x ? 'active' : ''}
            onClick={() => setTab(x)}
          >
            {t.admin.tabs[x]}
          </button>
        ))}
      </div>
      <section role="tabpanel" aria-label={t.admin.tabs[tab]}>
        {tab === 'users' && <UsersTab />}
        {tab === 'agents' && <AgentsTab />}
        {tab === 'teams' && <TeamsTab />}
        {tab === 'skills' && <SkillsTab />}
        {tab === 'queues' && <QueuesTab />}
        {tab === 'customers' && <CustomersTab />}
        {tab === 'codes' && <CodesTab />}
        {tab === 'audit' && <AuditTab />}
        {tab === 'lists' && <ListsTab />}
        {tab === 'ivr' && <IvrFlowsTab />}
        {tab === 'numbers' && <NumbersTab />}
        {tab === 'prompts' && <PromptsTab />}
        {tab === 'sms' && (
          <Suspense fallback={<p className="muted">{t.app.loading}</p>}>
            <SmsSection />
          </Suspense>
        )}
      </section>
    </div>
  );
}
