/**
 * The import declarations of the notebook's imports cell, which the grader puts in front of every test cell it
 * sends: a name a test uses (`checkClose`, `tf`) is then bound in the test cell itself, straight to the (frozen)
 * module, so a student cell that declares its own `checkClose`, or rewrites the kernel's shared scope from a timer,
 * cannot stand in for it.
 */
import ts from "typescript";

/**
 * @param code a code cell's TypeScript
 * @returns its top-level `import … from "…"` declarations on one line (so the test's line numbers shift by one), or ""
 */
export function importLine(code: string): string {
  const file = ts.createSourceFile("imports.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return file.statements
    .filter((statement): statement is ts.ImportDeclaration => ts.isImportDeclaration(statement) && statement.importClause !== undefined && !statement.importClause.isTypeOnly)
    .map((statement) => statement.getText(file).replace(/\s*\n\s*/g, " "))
    .join(" ");
}
