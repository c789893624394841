/**
 * What a cell can ask of the running kernel (`import { display, clearOutput } from "@llm-course/kernel"`).
 * The kernel installs its functions on a global symbol; outside the kernel they do nothing and return false,
 * so library code may call them anywhere.
 */
import type { MimeBundle } from "./mime";

/** The functions the running kernel provides. */
export interface KernelHooks {
  display(bundle: MimeBundle, options: { displayId?: string; update?: boolean }): void;
  clearOutput(wait: boolean): void;
}

/** The global slot the kernel fills (a symbol shared across module copies). */
export const HOOKS = Symbol.for("@llm-course/kernel");

function hooks(): KernelHooks | undefined {
  return (globalThis as { [HOOKS]?: KernelHooks })[HOOKS];
}

/** True inside the course kernel. */
export function inCourseKernel(): boolean {
  return hooks() !== undefined;
}

/**
 * Shows a MIME bundle as `display_data` (or replaces an earlier display with the same `displayId`).
 * @param bundle e.g. `{ "text/html": "<b>hi</b>", "text/plain": "hi" }`
 * @returns false outside the kernel (nothing shown)
 */
export function display(bundle: MimeBundle, options: { displayId?: string; update?: boolean } = {}): boolean {
  const kernel = hooks();
  kernel?.display(bundle, options);
  return kernel !== undefined;
}

/**
 * Clears the cell's output (`clear_output`), as IPython's `clear_output`.
 * @param options `wait`: clear only when the next output arrives (no flicker in loops)
 * @returns false outside the kernel
 */
export function clearOutput(options: { wait?: boolean } = {}): boolean {
  const kernel = hooks();
  kernel?.clearOutput(options.wait ?? false);
  return kernel !== undefined;
}
