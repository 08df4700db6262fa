// Charts drawn on the server as SVG: no chart service, no client library, readable without
// JavaScript. Each chart is an image with a title and a description (role="img", <title>, <desc>)
// and always stands beside a data table with the same numbers (WCAG 1.1.1; the table is also what
// a screen reader user and the CSV export get).

export type Series = {
  name: string;
  values: readonly (number | null)[];
  /** CSS class that sets the fill (see staff.css). */ tone: 'a' | 'b' | 'c';
};

type ChartProps = {
  id: string;
  title: string;
  desc: string;
  categories: readonly string[];
  series: readonly Series[];
  unit: string;
  /** Numbers as the page's language writes them („2,5“ in German). */ number: (v: number) => string;
};

const W = 720;
const H = 260;
const PAD = { left: 48, right: 12, top: 16, bottom: 48 };
const TONES = { a: '#1f4e8c', b: '#b34700', c: '#4d4d4d' } as const;

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
}

/** Grouped bars: one group per category, one bar per series. Empty values draw nothing. */
export function BarChart({ id, title, desc, categories, series, unit, number }: ChartProps) {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const groupW = categories.length ? plotW / categories.length : plotW;
  const barW = Math.max(1, (groupW * 0.8) / Math.max(1, series.length));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  // Label at most ~12 categories so the text never overlaps.
  const every = Math.max(1, Math.ceil(categories.length / 12));
  const ticks = [0, max / 2, max];
  return (
    <figure class="stat-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        xmlns="http://www.w3.org/2000/svg"
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{desc}</desc>
        {ticks.map((t) => (
          <g>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(t)}
              y2={y(t)}
              stroke="#767676"
              stroke-width="1"
              stroke-dasharray={t === 0 ? undefined : '3 3'}
            />
            <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end" font-size="12" fill="#1a1a1a">
              {number(t)}
            </text>
          </g>
        ))}
        <text x={4} y={PAD.top - 4} font-size="12" fill="#1a1a1a">
          {unit}
        </text>
        {categories.map((category, i) => (
          <g>
            {series.map((s, k) => {
              const v = s.values[i];
              if (v === null || v === undefined) return null;
              const x = PAD.left + i * groupW + groupW * 0.1 + k * barW;
              return (
                <rect
                  x={x.toFixed(1)}
                  y={y(v).toFixed(1)}
                  width={barW.toFixed(1)}
                  height={(PAD.top + plotH - y(v)).toFixed(1)}
                  fill={TONES[s.tone]}
                />
              );
            })}
            {i % every === 0 ? (
              <text
                x={(PAD.left + i * groupW + groupW / 2).toFixed(1)}
                y={H - PAD.bottom + 16}
                text-anchor="middle"
                font-size="11"
                fill="#1a1a1a"
              >
                {category}
              </text>
            ) : null}
          </g>
        ))}
        {series.map((s, k) => (
          <g>
            <rect x={PAD.left + k * 170} y={H - 18} width="12" height="12" fill={TONES[s.tone]} />
            <text x={PAD.left + k * 170 + 18} y={H - 8} font-size="12" fill="#1a1a1a">
              {s.name}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

/** The numbers of a chart as a table: categories down, series across. */
export function DataTable({
  caption,
  regionLabel,
  head,
  categories,
  series,
  format,
  number,
}: {
  caption: string;
  /** Names the scroll region; must differ from the section's heading (unique landmarks). */ regionLabel: string;
  head: string;
  categories: readonly string[];
  series: readonly Series[];
  format?: (v: number | null) => string;
  number: (v: number) => string;
}) {
  const show = format ?? ((v: number | null) => (v === null ? '–' : number(v)));
  return (
    // Scrolls when long, so it must take keyboard focus (WCAG 2.1.1).
    <div class="stat-table" tabindex={0} role="region" aria-label={regionLabel}>
      <table class="kern-table">
        <caption class="kern-title">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            {series.map((s) => (
              <th scope="col">{s.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {categories.map((category, i) => (
            <tr>
              <th scope="row">{category}</th>
              {series.map((s) => (
                <td>{show(s.values[i] ?? null)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
