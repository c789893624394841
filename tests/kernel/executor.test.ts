import { test } from "node:test";
import assert from "node:assert/strict";
import { withoutDeclarations } from "../../kernel/src/executor";

test("withoutDeclarations drops the named values and keeps types and the other names", () => {
  const declarations = [
    `import { a, b } from "m";`,
    "declare const x = 1, y: string;",
    "declare function f(): void;",
    "interface T { v: number }",
    "",
  ].join("\n");
  const kept = withoutDeclarations(declarations, new Set(["b", "y", "f"]));
  assert.match(kept, /import \{ a \} from "m";/);
  assert.match(kept, /declare const x = 1;/);
  assert.doesNotMatch(kept, /function f|y: string/);
  assert.match(kept, /interface T/);
});
