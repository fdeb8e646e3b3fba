/** One bar: its label (a time or height) and value; null is a gap (no data in that span). */
export interface BarPoint {
  readonly label: string;
  readonly value: number | null;
}

const WIDTH = 600;
const HEIGHT = 160;
const PAD = 28;

/**
 * A bar chart in SVG, drawn from the data alone (no charting library). Screen readers get the
 * title and a summary; the exact figures are in each bar's title.
 */
export function BarChart({
  title,
  summary,
  points,
  unit,
}: {
  title: string;
  summary: string;
  points: readonly BarPoint[];
  unit: string;
}) {
  const max = Math.max(1, ...points.map((p) => p.value ?? 0));
  const step = (WIDTH - PAD) / Math.max(1, points.length);
  const id = `chart-${title.replace(/\W+/g, '-')}`;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        class="chart-svg"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        <line x1={PAD} y1={HEIGHT - PAD} x2={WIDTH} y2={HEIGHT - PAD} stroke="#7b8794" />
        <text x={2} y={12} font-size="11" fill="#4a5568">
          {formatValue(max)} {unit}
        </text>
        <text x={2} y={HEIGHT - PAD} font-size="11" fill="#4a5568">
          0
        </text>
        {points.map((p, i) => {
          const h = p.value === null ? 0 : ((HEIGHT - 2 * PAD) * p.value) / max;
          return (
            <rect
              key={p.label}
              x={PAD + i * step + 1}
              y={HEIGHT - PAD - h}
              width={Math.max(1, step - 2)}
              height={h}
              fill="#0b5cad"
            >
              <title>{`${p.label}: ${p.value === null ? '—' : formatValue(p.value)} ${unit}`}</title>
            </rect>
          );
        })}
        {points.length > 0 && (
          <>
            <text x={PAD} y={HEIGHT - 8} font-size="11" fill="#4a5568">
              {points[0]!.label}
            </text>
            <text x={WIDTH} y={HEIGHT - 8} font-size="11" fill="#4a5568" text-anchor="end">
              {points.at(-1)!.label}
            </text>
          </>
        )}
      </svg>
      <figcaption class="muted">{summary}</figcaption>
    </figure>
  );
}

function formatValue(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString() : n.toFixed(n >= 10 ? 1 : 2);
}
