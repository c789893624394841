import { test } from "node:test";
import assert from "node:assert/strict";
import type { Output } from "../../lib/notebook/ipynb";
import { newMessage, type Message } from "../../lib/notebook/message";
import { OutputCollector } from "../../lib/notebook/outputs";

const msg = (type: string, content: Record<string, unknown>): Message => newMessage(type, content, "s");

test("consecutive text on one stream merges; another stream starts a new output", () => {
  const collector = new OutputCollector();
  const outputs: Output[] = [];
  collector.startCell(outputs);
  collector.add(msg("stream", { name: "stdout", text: "a\n" }));
  collector.add(msg("stream", { name: "stdout", text: "b\n" }));
  collector.add(msg("stream", { name: "stderr", text: "warn\n" }));
  collector.add(msg("stream", { name: "stdout", text: "c\n" }));
  assert.deepEqual(outputs, [
    { output_type: "stream", name: "stdout", text: "a\nb\n" },
    { output_type: "stream", name: "stderr", text: "warn\n" },
    { output_type: "stream", name: "stdout", text: "c\n" },
  ]);
});

test("update_display_data rewrites the earlier output with the same display_id, even in an earlier cell", () => {
  const collector = new OutputCollector();
  const first: Output[] = [];
  const second: Output[] = [];
  collector.startCell(first);
  collector.add(msg("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "bar" } }));
  collector.add(msg("display_data", { data: { "text/plain": "other" }, metadata: {}, transient: {} }));
  collector.startCell(second);
  assert.equal(collector.add(msg("update_display_data", { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "bar" } })), true);
  assert.deepEqual(first, [
    { output_type: "display_data", data: { "text/plain": "100%" }, metadata: {} },
    { output_type: "display_data", data: { "text/plain": "other" }, metadata: {} },
  ]);
  assert.deepEqual(second, []);
});

test("an update for an unknown display_id is dropped", () => {
  const collector = new OutputCollector();
  const outputs: Output[] = [];
  collector.startCell(outputs);
  assert.equal(collector.add(msg("update_display_data", { data: { "text/plain": "x" }, transient: { display_id: "nope" } })), false);
  assert.deepEqual(outputs, []);
});

test("clear_output with wait clears just before the next output", () => {
  const collector = new OutputCollector();
  const outputs: Output[] = [];
  collector.startCell(outputs);
  collector.add(msg("stream", { name: "stdout", text: "step 1\n" }));
  collector.add(msg("clear_output", { wait: true }));
  assert.equal(outputs.length, 1);
  collector.add(msg("stream", { name: "stdout", text: "step 2\n" }));
  assert.deepEqual(outputs, [{ output_type: "stream", name: "stdout", text: "step 2\n" }]);
});

test("status and execute_input are not outputs", () => {
  const collector = new OutputCollector();
  const outputs: Output[] = [];
  collector.startCell(outputs);
  assert.equal(collector.add(msg("status", { execution_state: "busy" })), false);
  assert.equal(collector.add(msg("execute_input", { code: "1" })), false);
  assert.deepEqual(outputs, []);
});
