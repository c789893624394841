/**
 * `is_complete_request` from the TypeScript parser: `complete` when the cell parses; `incomplete` when the
 * only syntax errors sit at the very end (the parser wants more: an open brace, a dangling operator, an
 * unterminated template); `invalid` when an error sits before the end (more input cannot fix it).
 */
import { isCompleteCode, ts } from "./converter";

/** The `is_complete_reply` content. */
export type IsCompleteReply = { status: "complete" } | { status: "invalid" } | { status: "incomplete"; indent: string };

/** Judges a cell's completeness (for consoles: Enter runs a complete cell, opens a new line otherwise). */
export function isComplete(code: string): IsCompleteReply {
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  // any: `parseDiagnostics` is internal to the TypeScript parser (tslab's own check reads it too).
  const diagnostics = ((file as any).parseDiagnostics ?? []) as Array<{ start: number; length: number }>;
  if (diagnostics.length === 0) return { status: "complete" };
  const end = code.trimEnd().length;
  if (diagnostics.every((d) => d.start >= end)) {
    return { status: "incomplete", indent: isCompleteCode(code).indent ?? "" };
  }
  return { status: "invalid" };
}
