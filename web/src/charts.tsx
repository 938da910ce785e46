// The few charts of the app, drawn as plain React SVG (no chart library): a time-series line chart with optional
// target bands and event markers, and the SCAI stage strip. The x axis is hours from the episode's anchor.
import type { ReactElement } from 'react';

export interface ChartPoint {
  readonly t_min: number;
  readonly value: number;
  readonly censored?: 'gt' | 'lt';
  /** 'low' | 'in_range' | 'high' ...: drawn as the point's class (colour) when given. */
  readonly status?: string | null;
}

export interface ChartBand {
  readonly from_min: number;
  readonly to_min: number;
  readonly low: number;
  readonly high: number;
}

export interface ChartMarker {
  readonly t_min: number;
  readonly label: string;
}

const W = 720;
const H = 180;
const PAD = { left: 52, right: 12, top: 12, bottom: 28 };

function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

export interface LineChartProps {
  readonly title: string;
  readonly unit: string;
  readonly from_min: number;
  readonly to_min: number;
  readonly points: readonly ChartPoint[];
  readonly bands?: readonly ChartBand[];
  readonly markers?: readonly ChartMarker[];
}

/** A line chart of one series over the episode's time span, with the target bands in force shaded. */
export function LineChart(props: LineChartProps): ReactElement {
  const { points, bands = [], markers = [] } = props;
  const from = props.from_min;
  const to = Math.max(props.to_min, from + 60);
  const values = [...points.map((p) => p.value), ...bands.flatMap((b) => [b.low, b.high])];
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (hi === lo) {
    lo -= 1;
    hi += 1;
  }
  const padY = (hi - lo) * 0.08;
  lo = Math.max(0, lo - padY);
  hi += padY;
  const x = (t: number) => PAD.left + ((t - from) / (to - from)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const sorted = [...points].sort((a, b) => a.t_min - b.t_min);
  const path = sorted.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t_min).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const xTicks = niceTicks(from / 60, to / 60, 8);
  const yTicks = niceTicks(lo, hi, 4);
  const desc = points.length === 0 ? 'no values recorded' : `${points.length} values from ${Math.min(...points.map((p) => p.value))} to ${Math.max(...points.map((p) => p.value))} ${props.unit}`;
  return (
    <figure className="chart">
      <figcaption>
        {props.title} <span className="unit">({props.unit})</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title}: ${desc}`} preserveAspectRatio="xMidYMid meet">
        {bands.map((b, i) => (
          <rect key={`band-${i}`} className="band" x={x(Math.max(b.from_min, from))} width={Math.max(0, x(Math.min(b.to_min, to)) - x(Math.max(b.from_min, from)))} y={y(Math.min(b.high, hi))} height={Math.max(0, y(Math.max(b.low, lo)) - y(Math.min(b.high, hi)))} />
        ))}
        {yTicks.map((v) => (
          <g key={`y${v}`}>
            <line className="grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text className="tick" x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {xTicks.map((h) => (
          <text key={`x${h}`} className="tick" x={x(h * 60)} y={H - 8} textAnchor="middle">
            {h} h
          </text>
        ))}
        {markers.map((m, i) => (
          <g key={`m${i}`}>
            <line className="marker" x1={x(m.t_min)} x2={x(m.t_min)} y1={PAD.top} y2={H - PAD.bottom} />
            <title>{m.label}</title>
          </g>
        ))}
        {path !== '' && <path className="line" d={path} />}
        {sorted.map((p, i) => (
          <circle key={`p${i}`} className={`point ${p.status ?? ''}`} cx={x(p.t_min)} cy={y(p.value)} r={4}>
            <title>{`${(p.t_min / 60).toFixed(1)} h: ${p.censored === 'gt' ? '>' : p.censored === 'lt' ? '<' : ''}${p.value} ${props.unit}${p.status ? ` (${p.status})` : ''}`}</title>
          </circle>
        ))}
        {points.length === 0 && (
          <text className="empty" x={W / 2} y={H / 2} textAnchor="middle">
            no values recorded
          </text>
        )}
      </svg>
    </figure>
  );
}

export interface StageBlock {
  readonly from_min: number;
  readonly to_min: number;
  readonly label: string;
}

/** SCAI stage over time: one coloured block per assessment period, labelled with its stage. */
export function StageStrip(props: { readonly from_min: number; readonly to_min: number; readonly blocks: readonly StageBlock[]; readonly markers?: readonly ChartMarker[] }): ReactElement {
  const from = props.from_min;
  const to = Math.max(props.to_min, from + 60);
  const h = 56;
  const x = (t: number) => PAD.left + ((t - from) / (to - from)) * (W - PAD.left - PAD.right);
  const stageClass = (label: string) => `stage stage-${(label.match(/[A-E]/)?.[0] ?? 'u').toLowerCase()}`;
  return (
    <figure className="chart">
      <figcaption>SCAI shock stage</figcaption>
      <svg viewBox={`0 0 ${W} ${h}`} role="img" aria-label={`SCAI stage over time: ${props.blocks.map((b) => b.label).filter((l, i, a) => a.indexOf(l) === i).join(', ') || 'not assessable'}`}>
        {props.blocks.map((b, i) => (
          <g key={i}>
            <rect className={stageClass(b.label)} x={x(b.from_min)} width={Math.max(1, x(b.to_min) - x(b.from_min))} y={4} height={28} />
            <title>{`${(b.from_min / 60).toFixed(0)}–${(b.to_min / 60).toFixed(0)} h: ${b.label}`}</title>
          </g>
        ))}
        {(props.markers ?? []).map((m, i) => (
          <g key={`m${i}`}>
            <line className="marker" x1={x(m.t_min)} x2={x(m.t_min)} y1={0} y2={36} />
            <title>{m.label}</title>
          </g>
        ))}
        {niceTicks(from / 60, to / 60, 8).map((hr) => (
          <text key={hr} className="tick" x={x(hr * 60)} y={50} textAnchor="middle">
            {hr} h
          </text>
        ))}
      </svg>
    </figure>
  );
}
