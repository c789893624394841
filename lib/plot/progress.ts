/**
 * A progress bar with ETA: in a notebook it redraws one display (HTML + text); elsewhere it writes a line to
 * stderr at most every few seconds.
 */
import { LiveDisplay, inKernel } from "./display";
import { escapeHtml } from "./html";

export interface ProgressOptions {
  label?: string;
  /** Minimum milliseconds between redraws (default 200: smooth without flooding the kernel). */
  intervalMs?: number;
  /** Clock in ms (tests pass a fake one). */
  now?: () => number;
}

/** "1m05s", "42s", "1h02m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export class ProgressBar {
  private done = 0;
  private lastDraw = -Infinity;
  private readonly start: number;
  private readonly display = new LiveDisplay();
  private info = "";

  constructor(
    readonly total: number,
    private readonly options: ProgressOptions = {},
  ) {
    if (!(total > 0)) throw new Error(`ProgressBar total must be > 0, got ${total}`);
    this.start = this.now();
    this.draw(true);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Advances by `n` steps; `info` (e.g. "loss 2.31") is shown beside the bar. */
  tick(n = 1, info?: string): void {
    this.done = Math.min(this.total, this.done + n);
    if (info !== undefined) this.info = info;
    this.draw(this.done === this.total);
  }

  /** The bar as one text line: `label [#####     ] 50% 5/10 · 3s elapsed · ETA 3s · info`. */
  text(): string {
    const { label = "" } = this.options;
    const fraction = this.done / this.total;
    const width = 30;
    const filled = Math.round(fraction * width);
    const elapsed = (this.now() - this.start) / 1000;
    const eta = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : NaN;
    const parts = [
      `${label ? `${label} ` : ""}[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${Math.floor(this.done)}/${this.total}`, // fractional ticks (seconds) shown whole
      `${formatDuration(elapsed)} elapsed`,
      this.done === this.total ? "done" : `ETA ${formatDuration(eta)}`,
    ];
    if (this.info) parts.push(this.info);
    return parts.join(" · ");
  }

  private draw(force: boolean): void {
    const { intervalMs = 200 } = this.options;
    const notebook = inKernel();
    const now = this.now();
    // A notebook redraws in place; a terminal log gets a new line, so far fewer of them.
    if (!force && now - this.lastDraw < (notebook ? intervalMs : 5000)) return;
    this.lastDraw = now;
    const text = this.text();
    if (!notebook) {
      process.stderr.write(`${text}\n`);
      return;
    }
    const percent = ((100 * this.done) / this.total).toFixed(1);
    const html =
      `<div style="font-family:monospace;font-size:12px">` +
      `<div style="background:#eee;width:100%;max-width:480px;height:10px;border-radius:3px">` +
      `<div style="background:#4c78a8;width:${percent}%;height:10px;border-radius:3px"></div></div>` +
      `${escapeHtml(text)}</div>`;
    this.display.show({ "text/html": html, "text/plain": text });
  }
}

/** A progress bar over `total` steps (see `ProgressBar`). */
export function newProgressBar(total: number, options: ProgressOptions = {}): ProgressBar {
  return new ProgressBar(total, options);
}
