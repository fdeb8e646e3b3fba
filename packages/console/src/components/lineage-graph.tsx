import type { VerifiedLineage } from '@pujiang/sdk/verify';
import { useI18n } from '../i18n/index.js';
import { formatTime, Hex } from './ui.js';

type LineageEvent = VerifiedLineage['events'][number];

interface Node {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly label: string;
  readonly kind: 'event' | 'data';
}

const EVENT_X = 320;
const IN_X = 90;
const OUT_X = 550;
const ROW = 84;
const STEP = 30;
const short = (hex: string) => `${hex.slice(0, 8)}…`;

/**
 * Lays the lineage out top to bottom: one event per row in the middle, each linked to the one
 * before (its hash link); data an event read on the left, data it produced on the right. A
 * digest produced by one event and read by a later one is one node with both edges, so the
 * flow of data shows as a graph.
 */
function layout(events: readonly LineageEvent[]): {
  nodes: Node[];
  edges: [string, string, 'link' | 'data'][];
  height: number;
} {
  const nodes: Node[] = [];
  const edges: [string, string, 'link' | 'data'][] = [];
  const data = new Map<string, Node>();
  let y = 40;
  for (const e of events) {
    const id = `e${e.seq}`;
    const fresh = (list: readonly string[]) => list.filter((d) => !data.has(d));
    const newIn = fresh(e.inputs);
    const newOut = fresh(e.outputs);
    const span = Math.max(1, newIn.length, newOut.length);
    const rowY = y + ((span - 1) * STEP) / 2;
    nodes.push({ id, x: EVENT_X, y: rowY, label: `${e.seq}. ${e.eventType}`, kind: 'event' });
    newIn.forEach((d, i) => {
      data.set(d, { id: `d${d}`, x: IN_X, y: y + i * STEP, label: short(d), kind: 'data' });
    });
    newOut.forEach((d, i) => {
      data.set(d, { id: `d${d}`, x: OUT_X, y: y + i * STEP, label: short(d), kind: 'data' });
    });
    if (e.seq > 0) edges.push([`e${e.seq - 1}`, id, 'link']);
    for (const d of e.inputs) edges.push([`d${d}`, id, 'data']);
    for (const d of e.outputs) edges.push([id, `d${d}`, 'data']);
    y += Math.max(ROW, span * STEP + 30);
  }
  nodes.push(...data.values());
  return { nodes, edges, height: Math.max(80, ...nodes.map((n) => n.y + 40)) };
}

/** An asset's lineage as a graph (SVG), with the same facts as a list for screen readers and keyboards. */
export function LineageGraph({ lineage }: { lineage: VerifiedLineage }) {
  const { t, lang } = useI18n();
  const { nodes, edges, height } = layout(lineage.events);
  const at = new Map(nodes.map((n) => [n.id, n]));
  // Only the columns in use: a lineage with no input data is drawn without the empty left one.
  const left = Math.min(...nodes.map((n) => n.x)) - 80;
  const width = Math.max(...nodes.map((n) => n.x)) + 80 - left;
  return (
    <div class="lineage">
      <div class="graph-wrap">
        <svg
          class="graph"
          viewBox={`${left} 0 ${width} ${height}`}
          role="img"
          aria-labelledby="lineage-title"
          data-testid="lineage-graph"
        >
          <title id="lineage-title">
            {t('notary.graphTitle', { asset: lineage.asset?.asset ?? '', n: lineage.events.length })}
          </title>
          <defs>
            <marker
              id="arrow"
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#4a5568" />
            </marker>
          </defs>
          {edges.map(([from, to, kind]) => {
            const a = at.get(from);
            const b = at.get(to);
            if (!a || !b) return null;
            const dx = b.x === a.x ? 0 : b.x > a.x ? -70 : 70;
            const dy = b.x === a.x ? -18 : 0;
            const sx = a.x === b.x ? 0 : a.x < b.x ? 70 : -70;
            return (
              <line
                key={`${from}-${to}`}
                x1={a.x + sx}
                y1={a.y + (a.x === b.x ? 18 : 0)}
                x2={b.x + dx}
                y2={b.y + dy}
                class={`edge edge-${kind}`}
                marker-end="url(#arrow)"
              />
            );
          })}
          {nodes.map((n) => (
            <g key={n.id} class={`node node-${n.kind}`} data-node={n.id}>
              <rect x={n.x - 70} y={n.y - 18} width={140} height={36} rx={n.kind === 'event' ? 8 : 18} />
              <text x={n.x} y={n.y + 5} text-anchor="middle">
                {n.label}
              </text>
            </g>
          ))}
        </svg>
      </div>
      <ol class="lineage-list" aria-label={t('notary.eventsList')} data-testid="lineage-list">
        {lineage.events.map((e) => (
          <li key={e.seq} data-event={e.eventType}>
            <strong>{e.eventType}</strong> — {formatTime(e.time, lang)} (
            {t('notary.atHeight', { height: e.height })}) {t('notary.by')} <Hex value={e.actor} />
            {e.action ? ` — ${e.action}` : ''}
            {e.to ? (
              <>
                {' '}
                → <Hex value={e.to} />
              </>
            ) : null}
            {e.inputs.length > 0 && (
              <div class="small">
                {t('notary.inputs')}:{' '}
                {e.inputs.map((d) => (
                  <Hex key={d} value={d} chars={8} />
                ))}
              </div>
            )}
            {e.outputs.length > 0 && (
              <div class="small">
                {t('notary.outputs')}:{' '}
                {e.outputs.map((d) => (
                  <Hex key={d} value={d} chars={8} />
                ))}
              </div>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
