import { test } from "node:test";
import assert from "node:assert/strict";
import { DataFormatError } from "../../lib/data";
import { parseHeadlineDate, parseHeadlinesCsv } from "../../lib/apps";

// Hand-written records in the two files' formats (CRLF, quoted fields with bare LF, the quirks of SOURCE.md).
const CNBC = [
  "Headlines,Time,Description",
  'Jim Cramer: A better way to invest," 7:51  PM ET Fri, 17 July 2020","""Mad Money"" host, with a\nnewline."',
  ",,",
  'Stocks fall," 9:01  AM ET Mon, 2 Sept 2019",Markets slid.',
  'Oil jumps," 4:10  PM ET Wed, 4 Mar 2020",Crude rose.',
].join("\r\n") + "\r\n";
const GUARDIAN = [
  "Time,Headlines",
  "18-Jul-20,Johnson is asking Santa for a Christmas recovery",
  '2-Jul-18,"Nils Pratley on finance  \n\n\n  Centrica left it far too late"',
  "Jul-18,A month-only row",
  "29-Jun-18,Last day of June",
].join("\r\n") + "\r\n";

test("CNBC times: double spaces, ET, full and abbreviated months and the non-standard Sept all parse to the ET day", () => {
  const { headlines, repairs } = parseHeadlinesCsv(CNBC, { file: "cnbc_headlines.csv" });
  assert.deepEqual(headlines.map((h) => [h.date, h.text, h.source]), [
    ["2020-07-17", "Jim Cramer: A better way to invest", "cnbc"],
    ["2019-09-02", "Stocks fall", "cnbc"],
    ["2020-03-04", "Oil jumps", "cnbc"],
  ]);
  assert.equal(repairs.emptyDropped, 1);
  assert.equal(repairs.septRepaired, 1);
  assert.deepEqual(headlines.map((h) => h.line), [2, 5, 6], "lines count the description's embedded newline");
});

test("Guardian: kickers cut to the headline; month-only rows become the 1st, are dropped, or refused", () => {
  const repaired = parseHeadlinesCsv(GUARDIAN, { file: "guardian_headlines.csv" });
  assert.deepEqual(repaired.headlines.map((h) => [h.date, h.text]), [
    ["2020-07-18", "Johnson is asking Santa for a Christmas recovery"],
    ["2018-07-02", "Centrica left it far too late"],
    ["2018-07-01", "A month-only row"],
    ["2018-06-29", "Last day of June"],
  ]);
  assert.equal(repaired.repairs.kickersStripped, 1);
  assert.equal(repaired.repairs.monthOnlyRepaired, 1);
  const dropped = parseHeadlinesCsv(GUARDIAN, { file: "g.csv", monthOnly: "drop" });
  assert.equal(dropped.headlines.length, 3);
  assert.equal(dropped.repairs.monthOnlyDropped, 1);
  assert.throws(() => parseHeadlinesCsv(GUARDIAN, { file: "g.csv", monthOnly: "error" }), (e: unknown) => e instanceof DataFormatError && /^g\.csv:7: the date "Jul-18" has no day; pass monthOnly/.test(e.message));
});

test("a generic date,headline CSV works; a bad date or header fails naming file and line", () => {
  const ok = parseHeadlinesCsv("date,headline\n2020-03-09,Oil price war sinks markets\n", { file: "mine.csv" });
  assert.deepEqual(ok.headlines, [{ date: "2020-03-09", text: "Oil price war sinks markets", source: "mine", line: 2 }]);
  assert.throws(() => parseHeadlinesCsv("date,headline\n2020-03-09,a\n31-Feb-20,b\n", { file: "mine.csv" }), /^DataFormatError: mine\.csv:3: cannot read the date "31-Feb-20"|mine\.csv:3: cannot read the date "31-Feb-20"/);
  assert.throws(() => parseHeadlinesCsv("when,what\n2020-03-09,a\n", { file: "mine.csv" }), /mine\.csv:1: expected a date column/);
  assert.throws(() => parseHeadlinesCsv("date,headline\n2020-03-09,  \n", { file: "mine.csv" }), /mine\.csv:2: the headline is empty/);
});

test("parseHeadlineDate: every format, and impossible days refused", () => {
  assert.deepEqual(parseHeadlineDate(" 7:51  PM ET Fri, 17 July 2020"), { kind: "day", date: "2020-07-17", sept: false });
  assert.deepEqual(parseHeadlineDate("10:00 AM ET Tue, 10 Sept 2019"), { kind: "day", date: "2019-09-10", sept: true });
  assert.deepEqual(parseHeadlineDate("Apr-18"), { kind: "month", month: "2018-04" });
  assert.deepEqual(parseHeadlineDate("2020-02-29T10:00:00Z"), { kind: "day", date: "2020-02-29", sept: false });
  assert.deepEqual(parseHeadlineDate("2019-02-29"), { kind: "invalid" });
  assert.deepEqual(parseHeadlineDate("17 Foo 2020"), { kind: "invalid" });
});
