/**
 * A small dependency-free SVG line chart: what a live training curve shows while it updates (no script needed,
 * so every redraw renders instantly in any notebook front end).
 */
import { escapeHtml } from "./html";

export interface Series {
  name: string;
  x: number[];
  y: number[];
}

export interface SvgChartOptions {
  width?: number;
  height?: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
}

const COLORS = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2"];

/** Three-significant-digit tick label. */
function tick(value: number): string {
  return Math.abs(value) >= 1e4 || (Math.abs(value) < 1e-2 && value !== 0) ? value.toExponential(1) : String(Number(value.toPrecision(3)));
}

/** Renders `series` as an SVG string (non-finite points are skipped). */
export function svgLineChart(series: Series[], options: SvgChartOptions = {}): string {
  const { width = 560, height = 260, title = "", xLabel = "", yLabel = "" } = options;
  const pad = { left: 56, right: 110, top: 28, bottom: 36 };
  const points = series.flatMap((s) => s.x.map((x, i) => [x, s.y[i] ?? NaN] as const)).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  const spanX = x1 - x0 || 1;
  const spanY = y1 - y0 || Math.abs(y0) || 1;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const px = (x: number) => pad.left + ((x - x0) / spanX) * plotW;
  const py = (y: number) => pad.top + plotH - ((y - y0) / spanY) * plotH;
  const lines = series.map((s, k) => {
    const color = COLORS[k % COLORS.length];
    const path = s.x
      .map((x, i) => [x, s.y[i] ?? NaN] as const)
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .map(([x, y], i) => `${i === 0 ? "M" : "L"}${px(x).toFixed(1)},${py(y).toFixed(1)}`)
      .join("");
    const last = s.y.length ? ` ${tick(s.y[s.y.length - 1] as number)}` : "";
    const legendY = pad.top + 14 * k + 8;
    return (
      `<path d="${path}" fill="none" stroke="${color}" stroke-width="1.5"/>` +
      `<text x="${width - pad.right + 8}" y="${legendY}" fill="${color}">${escapeHtml(s.name)}${last}</text>`
    );
  });
  const axis =
    `<rect x="${pad.left}" y="${pad.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#bbb"/>` +
    `<text x="${pad.left - 4}" y="${pad.top + 4}" text-anchor="end">${tick(y1)}</text>` +
    `<text x="${pad.left - 4}" y="${pad.top + plotH}" text-anchor="end">${tick(y0)}</text>` +
    `<text x="${pad.left}" y="${height - pad.bottom + 14}" text-anchor="middle">${tick(x0)}</text>` +
    `<text x="${pad.left + plotW}" y="${height - pad.bottom + 14}" text-anchor="middle">${tick(x1)}</text>` +
    `<text x="${pad.left + plotW / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(xLabel)}</text>` +
    `<text x="12" y="${pad.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 12 ${pad.top + plotH / 2})">${escapeHtml(yLabel)}</text>` +
    `<text x="${pad.left}" y="16" font-weight="bold">${escapeHtml(title)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">${axis}${lines.join("")}</svg>`;
}
