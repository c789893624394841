/**
 * Turns a cell's iopub messages into nbformat outputs, as Jupyter front ends do: consecutive stream text on the
 * same stream merges into one output; `display_data` with a `transient.display_id` is remembered so a later
 * `update_display_data` with that id rewrites it in place (in any earlier cell of the same notebook);
 * `clear_output` (optionally deferred with `wait`) empties the cell.
 */
import type { DisplayDataOutput, ExecuteResultOutput, MimeBundle, Output } from "./ipynb";
import { joinSource } from "./ipynb";
import type { Message } from "./message";

type RichOutput = DisplayDataOutput | ExecuteResultOutput;

/** Collects outputs for one notebook run; call `startCell` before each cell. */
export class OutputCollector {
  /** display_id → every output that shows it (a display may be shown more than once) */
  private readonly displays = new Map<string, RichOutput[]>();
  private outputs: Output[] = [];
  private clearPending = false;

  /**
   * Starts collecting into a new cell's output list.
   * @param outputs the list to fill (usually `cell.outputs = []`)
   */
  startCell(outputs: Output[]): void {
    this.outputs = outputs;
    this.clearPending = false;
  }

  /**
   * Applies one iopub message of the running cell. Messages that are not outputs (`status`,
   * `execute_input`, ...) are ignored.
   * @returns true when the message changed some output
   */
  add(message: Message): boolean {
    const content = message.content;
    switch (message.header.msg_type) {
      case "stream": {
        const name = content["name"] === "stderr" ? "stderr" : "stdout";
        const text = String(content["text"] ?? "");
        this.flushClear();
        const last = this.outputs[this.outputs.length - 1];
        if (last?.output_type === "stream" && last.name === name) last.text = joinSource(last.text) + text;
        else this.outputs.push({ output_type: "stream", name, text });
        return true;
      }
      case "display_data":
      case "execute_result": {
        this.flushClear();
        const data = (content["data"] ?? {}) as MimeBundle;
        const metadata = (content["metadata"] ?? {}) as Record<string, unknown>;
        const output: RichOutput =
          message.header.msg_type === "display_data"
            ? { output_type: "display_data", data, metadata }
            : { output_type: "execute_result", execution_count: (content["execution_count"] as number | undefined) ?? null, data, metadata };
        this.outputs.push(output);
        const id = displayId(content);
        if (id !== undefined) this.displays.set(id, [...(this.displays.get(id) ?? []), output]);
        return true;
      }
      case "update_display_data": {
        const id = displayId(content);
        const shown = id === undefined ? undefined : this.displays.get(id);
        if (!shown) return false; // the spec: an update for an unknown display id is dropped
        for (const output of shown) {
          output.data = (content["data"] ?? {}) as MimeBundle;
          output.metadata = (content["metadata"] ?? {}) as Record<string, unknown>;
        }
        return true;
      }
      case "error": {
        this.flushClear();
        this.outputs.push({
          output_type: "error",
          ename: String(content["ename"] ?? "Error"),
          evalue: String(content["evalue"] ?? ""),
          traceback: (content["traceback"] as string[] | undefined) ?? [],
        });
        return true;
      }
      case "clear_output": {
        if (content["wait"] === true) this.clearPending = true;
        else this.outputs.splice(0);
        return true;
      }
      default:
        return false;
    }
  }

  /** `clear_output(wait=True)` clears just before the next output arrives. */
  private flushClear(): void {
    if (this.clearPending) this.outputs.splice(0);
    this.clearPending = false;
  }
}

function displayId(content: Record<string, unknown>): string | undefined {
  const transient = content["transient"] as { display_id?: unknown } | undefined;
  return typeof transient?.display_id === "string" ? transient.display_id : undefined;
}
