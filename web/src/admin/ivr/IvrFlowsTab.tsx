import { useMemo, useState } from 'react';
import { ApiError } from '../../api';
import { useApp } from '../../context';
import { useT } from '../../i18n';
import { shortTime } from '../../util';
import { useList } from '../common';
import { FlowGraphView } from './FlowGraphView';
import { layoutFlow, problemNode, type Problem } from './graph';

export interface FlowSummary {
  id: string;
  name: string;
  publishedVersion: number | null;
  latestVersion: number;
  archivedAt: string | null;
}

interface Flow extends FlowSummary {
  versions: { version: number; createdBy: string | null; createdAt: string }[];
  document: Record<string, unknown> | null;
  warnings: Problem[];
}

/** A small flow to start from: a welcome, a one-option menu into a queue, and goodbye. */
const TEMPLATE = {
  version: 1,
  name: 'New flow',
  start: 'welcome',
  nodes: {
    welcome: { kind: 'play', prompts: 'welcome', next: 'menu' },
    menu: {
      kind: 'menu',
      prompt: 'menu',
      options: [{ digit: '1', next: 'to_queue' }],
      onFailure: 'goodbye',
    },
    to_queue: { kind: 'queue', queueId: 'QUEUE-ID', onQueueFailure: 'goodbye' },
    goodbye: { kind: 'play', prompts: 'goodbye', next: 'end' },
    end: { kind: 'hangup' },
  },
};

/** Problems grouped by the node they are at ('' for the document itself). */
function byNode(problems: Problem[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of problems) {
    const { node, field } = problemNode(p.path);
    const key = node ?? '';
    out.set(key, [...(out.get(key) ?? []), field ? `${field}: ${p.message}` : p.message]);
  }
  return out;
}

/** IVR flows: list, edit as JSON with the graph beside it, problems at their nodes, versions. */
export function IvrFlowsTab() {
  const t = useT();
  const { api, fail } = useApp();
  const [flows, reload] = useList<FlowSummary>('/ivr/flows');
  const [flow, setFlow] = useState<Flow | null>(null);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [shownVersion, setShownVersion] = useState<number | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [notice, setNotice] = useState('');
  const [selected, setSelected] = useState<string | null>(null);

  const parsed = useMemo(() => {
    try {
      return { doc: JSON.parse(text) as unknown, error: null };
    } catch (err) {
      return { doc: null, error: (err as Error).message };
    }
  }, [text]);
  const [queues] = useList<{ id: string; name: string }>('/queues');
  const queueNames = useMemo(() => new Map(queues.map((q) => [q.id, q.name])), [queues]);
  const graph = useMemo(() => (parsed.doc ? layoutFlow(parsed.doc, queueNames) : null), [parsed, queueNames]);
  const problemMap = useMemo(() => byNode(problems), [problems]);
  const warningMap = useMemo(() => byNode(flow?.warnings ?? []), [flow]);

  const show = (f: Flow, doc: unknown, version: number | null) => {
    setFlow(f);
    setText(JSON.stringify(doc, null, 2));
    setShownVersion(version);
    setEditing(true);
    setProblems([]);
    setSelected(null);
  };
  const open = (id: string) => {
    setNotice('');
    api.get<Flow>(`/ivr/flows/${id}`).then((f) => {
      if (f.document) return show(f, f.document, f.publishedVersion);
      return api
        .get<{ document: unknown }>(`/ivr/flows/${id}/versions/${f.latestVersion}`)
        .then((v) => show(f, v.document, f.latestVersion));
    }, fail);
  };
  const create = () => {
    setFlow(null);
    setText(JSON.stringify(TEMPLATE, null, 2));
    setShownVersion(null);
    setEditing(true);
    setProblems([]);
    setNotice('');
  };
  const save = (publish: boolean) => {
    if (!parsed.doc) return;
    const body = { document: parsed.doc, publish };
    const req = flow
      ? api.post<Flow>(`/ivr/flows/${flow.id}/versions`, body)
      : api.post<Flow>('/ivr/flows', body);
    req.then(
      (f) => {
        setFlow(f);
        setProblems([]);
        setShownVersion(f.latestVersion);
        setNotice(
          (publish ? t.tel.savedPublished : t.tel.savedDraft).replace('{version}', String(f.latestVersion)),
        );
        reload();
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.code === 'IVR_FLOW_INVALID') {
          setNotice('');
          setProblems((err.details?.problems as Problem[] | undefined) ?? []);
        } else fail(err);
      },
    );
  };
  const publish = (version: number) => {
    if (!flow) return;
    api.post<Flow>(`/ivr/flows/${flow.id}/versions/${version}/publish`).then((f) => {
      setFlow(f);
      setNotice(t.tel.published.replace('{version}', String(version)));
      reload();
    }, fail);
  };
  const viewVersion = (version: number) => {
    if (!flow) return;
    api
      .get<{ document: unknown }>(`/ivr/flows/${flow.id}/versions/${version}`)
      .then((v) => show(flow, v.document, version), fail);
  };
  const archive = () => {
    if (!flow) return;
    api.del(`/ivr/flows/${flow.id}`).then(() => {
      setFlow(null);
      setEditing(false);
      reload();
    }, fail);
  };

  const docProblems = problemMap.get('') ?? [];
  const nodeIds = graph?.nodes.map((n) => n.id) ?? [];
  // Problems at nodes the drawing does not have (e.g. a node that is not an object) are listed too.
  const strayIds = [...problemMap.keys()].filter((k) => k && !nodeIds.includes(k));

  return (
    <div className="ivr">
      <div className="form-row">
        <button className="primary" onClick={create}>
          {t.tel.newFlow}
        </button>
      </div>
      <table aria-label={t.tel.flows}>
        <thead>
          <tr>
            <th>{t.admin.name}</th>
            <th>{t.tel.publishedVersion}</th>
            <th>{t.tel.latestVersion}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {flows.map((f) => (
            <tr key={f.id} data-testid="ivr-flow-row" className={flow?.id === f.id ? 'selected' : ''}>
              <td>{f.name}</td>
              <td>{f.publishedVersion ?? t.tel.none}</td>
              <td>
                {f.latestVersion}
                {f.publishedVersion !== f.latestVersion ? ` (${t.tel.draft})` : ''}
              </td>
              <td>
                <button onClick={() => open(f.id)}>{t.tel.edit}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <div className="ivr-editor card">
          <h3>
            {flow ? flow.name : t.tel.newFlow}
            {shownVersion !== null && ` — ${t.tel.version} ${shownVersion}`}
          </h3>
          {notice && (
            <p className="note" role="status">
              {notice}
            </p>
          )}
          {problems.length > 0 && (
            <div className="ivr-problems" data-testid="ivr-problems">
              <p>{t.tel.invalid}</p>
              {docProblems.map((m) => (
                <p key={m} className="problem">
                  {t.tel.flowLevel}: {m}
                </p>
              ))}
            </div>
          )}
          <div className="ivr-columns">
            <label className="ivr-json">
              {t.tel.document}
              <textarea
                value={text}
                spellCheck={false}
                rows={28}
                onChange={(e) => setText(e.target.value)}
                aria-invalid={parsed.error ? true : undefined}
              />
              {parsed.error && (
                <span className="problem">{t.tel.jsonError.replace('{error}', parsed.error)}</span>
              )}
            </label>
            <div className="ivr-view">
              {graph && (
                <FlowGraphView
                  graph={graph}
                  problems={problemMap}
                  warnings={warningMap}
                  label={t.tel.graph}
                  selected={selected}
                  onSelect={setSelected}
                />
              )}
              <ul className="ivr-nodes" aria-label={t.tel.nodes}>
                {[...nodeIds, ...strayIds].map((id) => {
                  const bad = problemMap.get(id);
                  const warn = warningMap.get(id);
                  const node = graph?.nodes.find((n) => n.id === id);
                  return (
                    <li
                      key={id}
                      data-testid={`ivr-node-item-${id}`}
                      className={[bad ? 'bad' : warn ? 'warn' : '', selected === id ? 'selected' : ''].join(
                        ' ',
                      )}
                      onClick={() => setSelected(id)}
                    >
                      <strong>{id}</strong> <span className="small">{node?.kind}</span>
                      {node && !node.reachable && <span className="small"> · {t.tel.unreachable}</span>}
                      {bad?.map((m) => (
                        <div key={m} className="problem">
                          {m}
                        </div>
                      ))}
                      {warn?.map((m) => (
                        <div key={m} className="warning">
                          {m}
                        </div>
                      ))}
                    </li>
                  );
                })}
              </ul>
            </div>
          </div>
          <div className="form-row">
            <button className="primary" disabled={!parsed.doc} onClick={() => save(true)}>
              {t.tel.saveAndPublish}
            </button>
            <button disabled={!parsed.doc} onClick={() => save(false)}>
              {t.tel.saveDraft}
            </button>
            {flow && <button onClick={archive}>{t.tel.archive}</button>}
          </div>
          {flow && (
            <table aria-label={t.tel.versions}>
              <thead>
                <tr>
                  <th>{t.tel.version}</th>
                  <th>{t.tel.createdBy}</th>
                  <th>{t.admin.at}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {[...flow.versions].reverse().map((v) => (
                  <tr key={v.version} data-testid="ivr-version-row">
                    <td>
                      {v.version}
                      {v.version === flow.publishedVersion && <strong> · {t.tel.live}</strong>}
                    </td>
                    <td>{v.createdBy ?? ''}</td>
                    <td>{shortTime(v.createdAt)}</td>
                    <td>
                      <button onClick={() => viewVersion(v.version)}>{t.tel.view}</button>
                      {v.version !== flow.publishedVersion && (
                        <button onClick={() => publish(v.version)}>
                          {v.version < (flow.publishedVersion ?? 0) ? t.tel.rollback : t.tel.publish}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
