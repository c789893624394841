/**
 * Runs cells: tslab's converter compiles each cell against the declarations of earlier cells; the kernel runs
 * the generated CommonJS in this process and keeps the values in one shared `exports` object.
 *
 * Differences from tslab's own executor (tslab/dist/executor.js), which this replaces:
 * - the value of the last expression is returned (for `execute_result`), not printed;
 * - a cell that throws keeps what it declared before the throwing statement (imports above all): the names
 *   whose `exports.x = …` ran stay declared for later cells; tslab forgot the whole cell;
 * - errors come back structured (`TSError` for diagnostics), frames mapped to the cell's TypeScript;
 * - each cell runs as a script named `In[n]`, so stack frames name the cell.
 */
import vm from "node:vm";
import Module from "node:module";
import { dirname, extname, join } from "node:path";
import { createConverter, takeSourceMap, ts, type Converter } from "./converter";
import { runtimeError, typeScriptError, type CellRecord, type ErrorContent } from "./traceback";

/** The outcome of one cell. */
export type CellOutcome =
  | { status: "ok"; hasValue: boolean; value?: unknown }
  | { status: "error"; error: ErrorContent; kind: "compile" | "runtime" | "interrupt" };

/** Thrown into a waiting cell by `interrupt()`. */
class Interrupted extends Error {
  override name = "KeyboardInterrupt";
}

/** The error content of an interrupted cell (as ipykernel's `KeyboardInterrupt`). */
const INTERRUPTED = {
  ename: "KeyboardInterrupt",
  evalue: "the cell was interrupted",
  traceback: ["KeyboardInterrupt: the cell was interrupted (declarations made before the interrupt are kept)"],
};

/** Node's error when `breakOnSigint` stopped a script. */
const SIGINT_CODE = "ERR_SCRIPT_EXECUTION_INTERRUPTED";

/** The first line of tslab's CommonJS output hoists every exported name: `exports.a = exports.b = void 0;`. */
function hoistedNames(output: string): Set<string> {
  const names = new Set<string>();
  const line = /^exports\.[\w$]+ = (?:exports\.[\w$]+ = )*void 0;$/m.exec(output)?.[0] ?? "";
  for (const match of line.matchAll(/exports\.([\w$]+) =/g)) if (match[1]) names.add(match[1]);
  return names;
}

/**
 * Removes the declarations of `drop` from a declaration file (tslab's `declOutput`).
 * Interfaces and type aliases stay: they have no runtime value that could be missing.
 */
export function withoutDeclarations(declarations: string, drop: ReadonlySet<string>): string {
  if (drop.size === 0) return declarations;
  const file = ts.createSourceFile("__prev__.d.ts", declarations, ts.ScriptTarget.Latest, true);
  const f = ts.factory;
  const kept: import("@tslab/typescript-for-tslab").Statement[] = [];
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      const list = statement.declarationList.declarations.filter((d) => !(ts.isIdentifier(d.name) && drop.has(d.name.text)));
      if (list.length === statement.declarationList.declarations.length) kept.push(statement);
      else if (list.length > 0) kept.push(f.updateVariableStatement(statement, statement.modifiers, f.updateVariableDeclarationList(statement.declarationList, list)));
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name && drop.has(statement.name.text)) {
      continue;
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      const name = clause.name && drop.has(clause.name.text) ? undefined : clause.name;
      let bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings) && drop.has(bindings.name.text)) bindings = undefined;
      if (bindings && ts.isNamedImports(bindings)) {
        const elements = bindings.elements.filter((e) => !drop.has(e.name.text));
        bindings = elements.length > 0 ? f.updateNamedImports(bindings, elements) : undefined;
      }
      if (!name && !bindings) continue;
      kept.push(f.updateImportDeclaration(statement, statement.modifiers, f.updateImportClause(clause, clause.isTypeOnly, name, bindings), statement.moduleSpecifier, statement.assertClause));
    } else {
      kept.push(statement);
    }
  }
  return ts.createPrinter({ newLine: ts.NewLineKind.LineFeed }).printFile(f.updateSourceFile(file, kept));
}

/**
 * The executor of one kernel. Cells run one at a time (the server queues them).
 */
export class CellExecutor {
  private readonly converter: Converter;
  /** Declarations of all earlier cells, as a `.d.ts` text (tslab's `prevDecl`). */
  private declarations = "";
  /** Every executed cell by script name: source and source map (tracebacks of later calls need them). */
  readonly cells = new Map<string, CellRecord>();
  /** The cells' shared top-level scope: name → value. Writes are counted while a cell runs. */
  readonly locals: Record<string, unknown> = {};
  private writes = new Map<string, number>();
  private readonly exports: Record<string, unknown>;
  private readonly require: NodeJS.Require;
  private interruptWaiting: ((error: Error) => void) | undefined;
  /** A cell is between its request and its outcome (compiling, running or waiting). */
  private busy = false;
  /** An interrupt arrived while the cell was still compiling: it stops the cell before it starts. */
  private interruptPending = false;
  /**
   * Shared with the control thread (see control.ts): `[0]` is 1 while an async cell is awaited; `[1]` counts
   * the main thread's ticks (a 50 ms timer), so the control thread can tell a blocked main thread from a busy one.
   */
  readonly shared = new Int32Array(new SharedArrayBuffer(8));
  /** JavaScript of local `.ts`/`.js` files a cell imported (tslab's "side outputs"), by absolute path. */
  private readonly sideOutputs = new Map<string, string>();
  private readonly sideModules = new Map<string, Module>();

  constructor(readonly rootDir: string = process.cwd()) {
    this.converter = createConverter();
    const locals = this.locals;
    const count = (name: string): void => { this.writes.set(name, (this.writes.get(name) ?? 0) + 1); };
    this.exports = new Proxy(locals, {
      set: (_target, key, value) => {
        if (typeof key === "string") count(key);
        locals[key as string] = value;
        return true;
      },
      // TypeScript turns named imports into `Object.defineProperty(exports, name, { get })`: store the value so
      // a later cell may assign the name.
      defineProperty: (_target, key, attributes) => {
        if (key === "__esModule") return true;
        if (typeof key === "string") count(key);
        locals[key as string] = attributes.get ? attributes.get() : attributes.value;
        return true;
      },
    });
    this.require = this.wrapRequire(Module.createRequire(join(rootDir, "__cell__.js")), rootDir);
    vm.runInThisContext("(x) => { globalThis.__courseKernel__ = x; }")({ exports: this.exports, require: this.require });
  }

  /** `require` for cells and the local files they import: local files come from the converter's output. */
  private wrapRequire(plain: NodeJS.Require, dir: string): NodeJS.Require {
    const wrapped = (id: string): unknown => {
      // tslab's public API (`display`, `newDisplay`) from the kernel's own copy, wherever the notebook is
      // (tslab's compiler resolves its typings the same way).
      if (id === "tslab") return require("tslab");
      let filename = join(dir, id);
      if (id.startsWith(".") && extname(filename) === "") filename += ".js";
      const cached = this.sideModules.get(filename);
      if (cached) return cached.exports;
      const code = this.sideOutputs.get(filename);
      if (code === undefined) return plain(id);
      const mod = new Module(filename, module);
      mod.filename = filename;
      // any: Node's internal CommonJS loader API, as tslab uses it for the same purpose.
      mod.paths = (Module as any)._nodeModulePaths(dirname(filename));
      mod.require = Object.assign(this.wrapRequire(mod.require.bind(mod) as NodeJS.Require, dirname(filename)), plain) as NodeJS.Require;
      (mod as any)._compile(code, filename);
      this.sideModules.set(filename, mod);
      return mod.exports;
    };
    return Object.assign(wrapped, plain) as NodeJS.Require;
  }

  /**
   * Compiles and runs one cell.
   * @param source the cell's TypeScript
   * @param name the script name frames show, `In[n]`
   * @returns ok with the last expression's value (if the cell ends in an expression), or a structured error
   */
  async execute(source: string, name: string): Promise<CellOutcome> {
    this.busy = true;
    this.interruptPending = false;
    try {
      return await this.compileAndRun(source, name);
    } finally {
      this.busy = false;
    }
  }

  private async compileAndRun(source: string, name: string): Promise<CellOutcome> {
    const converted = this.converter.convert(this.declarations, source);
    for (const side of converted.sideOutputs ?? []) {
      this.sideModules.delete(side.path);
      this.sideOutputs.set(side.path, side.data);
    }
    if (converted.diagnostics.length > 0) {
      return { status: "error", kind: "compile", error: typeScriptError(converted.diagnostics, name, source) };
    }
    const output = converted.output ?? "";
    const record: CellRecord = { source };
    const map = takeSourceMap(output);
    if (map) record.map = map;
    this.cells.set(name, record);
    const declared = hoistedNames(output);
    this.writes = new Map();
    const lastName = converted.lastExpressionVar;
    // The wrapper stays on the output's first line (`Object.defineProperty(exports, "__esModule", …)`), so
    // lines of the output are lines of the script.
    // A SIGINT that came while compiling waits in the event loop: let its handler run before the cell does
    // (`breakOnSigint` only sees signals that arrive while the script runs).
    await new Promise((resolve) => setImmediate(resolve));
    if (this.interruptPending) return { status: "error", kind: "interrupt", error: INTERRUPTED };
    const wrapped = `(${converted.hasToplevelAwait ? "async " : ""}function (exports, require) { ${output}\n})(__courseKernel__.exports, __courseKernel__.require)`;
    try {
      const ran: unknown = vm.runInThisContext(wrapped, { filename: name, breakOnSigint: true });
      if (converted.hasToplevelAwait) await this.untilInterrupted(ran as Promise<unknown>);
    } catch (thrown) {
      // Keep what the cell declared before the throw: drop only the names whose assignment never ran.
      const unreached = new Set([...declared].filter((n) => n !== lastName && (this.writes.get(n) ?? 0) < 2));
      for (const n of unreached) delete this.locals[n];
      if (lastName) delete this.locals[lastName];
      this.declarations = withoutDeclarations(converted.declOutput ?? "", unreached);
      const interrupted = thrown instanceof Interrupted || (thrown as { code?: string })?.code === SIGINT_CODE;
      if (interrupted) return { status: "error", kind: "interrupt", error: INTERRUPTED };
      return { status: "error", kind: "runtime", error: runtimeError(thrown, this.cells) };
    }
    this.declarations = converted.declOutput ?? "";
    if (!lastName) return { status: "ok", hasValue: false };
    const value = this.locals[lastName];
    delete this.locals[lastName];
    return value === undefined ? { status: "ok", hasValue: false } : { status: "ok", hasValue: true, value };
  }

  /** Waits for an async cell, or rejects with `Interrupted` when `interrupt()` is called first. */
  private untilInterrupted(promise: Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.interruptWaiting = reject;
      Atomics.store(this.shared, 0, 1);
      promise.then(resolve, reject).finally(() => this.stopWaiting());
    });
  }

  private stopWaiting(): void {
    this.interruptWaiting = undefined;
    Atomics.store(this.shared, 0, 0);
  }

  /**
   * Stops a cell waiting on a promise, or one still compiling (a running synchronous cell is stopped by
   * SIGINT itself: `breakOnSigint`). An interrupt while no cell runs does nothing, as in ipykernel.
   * @returns true when a cell was in progress
   */
  interrupt(): boolean {
    const reject = this.interruptWaiting;
    this.stopWaiting();
    reject?.(new Interrupted("the cell was interrupted"));
    if (!reject && this.busy) this.interruptPending = true;
    return reject !== undefined || this.busy;
  }

  /** Type information at `cursor` (tslab's quick info through the TypeScript language service). */
  inspect(source: string, cursor: number): ReturnType<Converter["inspect"]> {
    return this.converter.inspect(this.declarations, source, cursor);
  }

  /** Completions at `cursor`. */
  complete(source: string, cursor: number): ReturnType<Converter["complete"]> {
    return this.converter.complete(this.declarations, source, cursor);
  }

  /** Forgets every declaration and value (used by a restart that keeps the process). */
  reset(): void {
    this.declarations = "";
    for (const key of Object.keys(this.locals)) delete this.locals[key];
    this.cells.clear();
  }

  close(): void {
    this.converter.close();
  }
}
