import { layoutFlow, NODE_H, NODE_W, type FlowGraph } from './graph';

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The flow drawn as boxes and labelled arrows; nodes with problems are red, with warnings amber. */
export function FlowGraphView(props: {
  graph: FlowGraph;
  problems: Map<string, string[]>;
  warnings: Map<string, string[]>;
  label: string;
  onSelect: (id: string) => void;
  selected: string | null;
}) {
  const { graph, problems, warnings } = props;
  const at = new Map(graph.nodes.map((n) => [n.id, n]));
  return (
    <svg
      className="ivr-graph"
      role="img"
      aria-label={props.label}
      data-testid="ivr-graph"
      width={graph.width}
      height={Math.max(graph.height, NODE_H)}
      viewBox={`0 0 ${graph.width} ${Math.max(graph.height, NODE_H)}`}
    >
      <defs>
        <marker
          id="ivr-arrow"
          viewBox="0 0 10 10"
          refX="10"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" />
        </marker>
      </defs>
      {graph.edges.map((e, i) => {
        const a = at.get(e.from);
        const b = at.get(e.to);
        if (!a) return null;
        const x1 = a.x + NODE_W / 2;
        const y1 = a.y + NODE_H;
        let d: string;
        let lx: number;
        let ly: number;
        if (!b) {
          d = `M${x1},${y1} l0,30`;
          lx = x1;
          ly = y1 + 22;
        } else if (b.y === a.y && b.id !== a.id) {
          // Same layer: straight across, side to side.
          const right = b.x > a.x;
          const sx = right ? a.x + NODE_W : a.x;
          const tx = right ? b.x : b.x + NODE_W;
          const y = a.y + NODE_H / 2 + 6;
          d = `M${sx},${y} L${tx},${y}`;
          lx = (sx + tx) / 2;
          ly = y - 8;
        } else if (b.y > a.y) {
          const x2 = b.x + NODE_W / 2;
          const y2 = b.y;
          d = `M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`;
          lx = (x1 + x2) / 2;
          ly = (y1 + y2) / 2;
        } else {
          // Back to an earlier (or the same) layer: around the right side.
          const sx = a.x + NODE_W;
          const sy = a.y + NODE_H / 2;
          const tx = b.x + NODE_W;
          const ty = b.y + NODE_H / 2;
          const bulge = Math.max(sx, tx) + 40 + (i % 3) * 12;
          d = `M${sx},${sy} C${bulge},${sy} ${bulge},${ty} ${tx},${ty}`;
          lx = bulge - 10;
          ly = (sy + ty) / 2;
        }
        return (
          <g key={`${e.from}-${e.to}-${i}`} className={e.missing ? 'edge missing' : 'edge'}>
            <path d={d} markerEnd="url(#ivr-arrow)" />
            {(e.label || e.missing) && (
              <text x={lx} y={ly} textAnchor="middle" className="edge-label">
                {e.missing ? `${e.label} → ${e.to}?` : e.label}
              </text>
            )}
          </g>
        );
      })}
      {graph.nodes.map((n) => {
        const bad = problems.get(n.id);
        const warn = warnings.get(n.id);
        const cls = [
          'node',
          bad ? 'bad' : warn ? 'warn' : '',
          n.reachable ? '' : 'unreachable',
          props.selected === n.id ? 'selected' : '',
        ]
          .filter(Boolean)
          .join(' ');
        return (
          <g
            key={n.id}
            className={cls}
            data-testid={`ivr-node-${n.id}`}
            aria-invalid={bad ? true : undefined}
            transform={`translate(${n.x},${n.y})`}
            onClick={() => props.onSelect(n.id)}
          >
            <title>{[n.id, ...(bad ?? []), ...(warn ?? [])].join('\n')}</title>
            <rect width={NODE_W} height={NODE_H} rx={6} />
            <text x={8} y={18} className="node-id">
              {clip(n.id, 20)}
            </text>
            <text x={8} y={36} className="node-kind">
              {clip(`${n.kind}${n.detail ? ` · ${n.detail}` : ''}`, 24)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export { layoutFlow };
