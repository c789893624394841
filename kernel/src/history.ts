/**
 * The kernel's input history, answering `history_request` (messaging spec, "History"): `tail`, `range` and
 * `search` (a glob, as IPython's `%history -g`). Kept in memory for the kernel's life: session 1 is this
 * process (a restarted kernel is a new process and starts empty).
 */

/** One executed input: `[session, line, input]` or, with outputs, `[session, line, [input, output]]`. */
export type HistoryEntry = [number, number, string] | [number, number, [string, string | null]];

/** What `history_request` may ask (only the fields of its access type are read). */
export interface HistoryQuery {
  output?: boolean;
  hist_access_type?: "tail" | "range" | "search";
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

/** This process's session number (IPython numbers sessions from 1). */
export const SESSION = 1;

/** fnmatch-style glob (`*`, `?`, `[…]`) → anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? "";
    if (c === "*") source += "[\\s\\S]*";
    else if (c === "?") source += "[\\s\\S]";
    else if (c === "[" && glob.indexOf("]", i + 1) > i) {
      const end = glob.indexOf("]", i + 1);
      const body = glob.slice(i + 1, end);
      source += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else source += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** The inputs of one kernel process and their text results. */
export class History {
  private readonly entries: Array<{ line: number; input: string; output: string | null }> = [];

  /** Records an input that ran with `store_history` (its `line` is the execution count). */
  add(line: number, input: string, output: string | null): void {
    this.entries.push({ line, input, output });
  }

  /** Answers a `history_request`; unknown access types and other sessions give an empty list. */
  query(request: HistoryQuery): HistoryEntry[] {
    const { output = false, hist_access_type: type = "tail", n } = request;
    let found = this.entries;
    if (type === "tail") {
      found = n === undefined || n === null ? found : found.slice(Math.max(0, found.length - n));
    } else if (type === "range") {
      const session = request.session ?? 0;
      if (session !== SESSION && session > 0) return [];
      const start = request.start ?? 1;
      const stop = request.stop ?? Number.POSITIVE_INFINITY;
      found = found.filter((e) => e.line >= start && e.line < stop);
    } else if (type === "search") {
      const pattern = globToRegExp(request.pattern ?? "*");
      found = found.filter((e) => pattern.test(e.input));
      if (request.unique) {
        const last = new Map(found.map((e) => [e.input, e] as const));
        found = found.filter((e) => last.get(e.input) === e);
      }
      if (n !== undefined && n !== null) found = found.slice(Math.max(0, found.length - n));
    } else {
      return [];
    }
    return found.map((e) => (output ? [SESSION, e.line, [e.input, e.output]] : [SESSION, e.line, e.input]));
  }
}
