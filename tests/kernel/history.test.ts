import { test } from "node:test";
import assert from "node:assert/strict";
import { History, globToRegExp } from "../../kernel/src/history";

test("history search globs match the whole input, as IPython's (sqlite GLOB)", () => {
  assert.ok(globToRegExp("6 * *").test("6 * 7"));
  assert.ok(!globToRegExp("7 *").test("6 * 7"), "anchored at the start");
  assert.ok(globToRegExp("6*").test("6 * 7\nx"), "* crosses lines");
  assert.ok(globToRegExp("a?c[!x]").test("abcd"));
  const history = new History();
  history.add(1, "a", "1");
  history.add(2, "b", null);
  history.add(3, "a", "1");
  assert.deepEqual(history.query({ hist_access_type: "search", pattern: "a", unique: true }), [[1, 3, "a"]]);
  assert.deepEqual(history.query({ hist_access_type: "range", session: 1, start: 2, stop: 3, output: true }), [[1, 2, ["b", null]]]);
  assert.deepEqual(history.query({ hist_access_type: "range", session: 7, start: 1 }), []);
});
