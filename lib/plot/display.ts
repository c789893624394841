/**
 * The bridge to the notebook: sends a MIME bundle as one Jupyter `display_data` (or `update_display_data`).
 *
 * tslab's public `display` sends one MIME type per message, and a plot needs a bundle (plotly JSON for
 * JupyterLab, HTML for the classic notebook and nbconvert, plain text for terminals), so this uses the function
 * tslab's own `display` calls, `lastWriteDisplayData` in `tslab/dist/jupyter`. It is read from the module cache:
 * inside a kernel tslab has loaded it; anywhere else (CLI, tests) nothing is displayed and nothing is loaded.
 */
import { randomBytes } from "node:crypto";

/** A Jupyter MIME bundle: MIME type → content (JSON-able). */
export type MimeBundle = Record<string, unknown>;

type WriteDisplayData = (data: { data: MimeBundle; metadata: object; transient: { display_id?: string } }, update: boolean) => void;

function kernelWriter(): WriteDisplayData | undefined {
  let path: string;
  try {
    path = require.resolve("tslab/dist/jupyter");
  } catch {
    return undefined;
  }
  // any: tslab's internal module has no public typings.
  const writer = (require.cache[path]?.exports as any)?.lastWriteDisplayData;
  return typeof writer === "function" ? (writer as WriteDisplayData) : undefined;
}

/** True inside a running tslab kernel (so displays reach a notebook). */
export function inKernel(): boolean {
  return kernelWriter() !== undefined;
}

/** Shows `bundle` once. Returns false outside a kernel (nothing shown). */
export function displayBundle(bundle: MimeBundle): boolean {
  const write = kernelWriter();
  write?.({ data: bundle, metadata: {}, transient: {} }, false);
  return write !== undefined;
}

/** A display slot that later bundles overwrite in place (progress bars, live curves). */
export class LiveDisplay {
  private readonly id = randomBytes(8).toString("hex");
  private shown = false;

  /** Shows `bundle`, replacing what this slot showed before. Returns false outside a kernel. */
  show(bundle: MimeBundle): boolean {
    const write = kernelWriter();
    if (write === undefined) return false;
    write({ data: bundle, metadata: {}, transient: { display_id: this.id } }, this.shown);
    this.shown = true;
    return true;
  }
}

/** Shows HTML (with a plain-text fallback). */
export function showHtml(html: string, text = "[HTML output]"): void {
  displayBundle({ "text/html": html, "text/plain": text });
}

/** Shows Markdown (with the Markdown source as plain text). */
export function showMarkdown(markdown: string): void {
  displayBundle({ "text/markdown": markdown, "text/plain": markdown });
}
