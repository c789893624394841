import { test } from "node:test";
import assert from "node:assert/strict";
import { replaceUrls, replaceEmails, replaceNumbers, stripHtmlTags, collapseWhitespace, simpleWords, removeStopwords, cleanText, ENGLISH_STOPWORDS } from "../../lib/text";

test("replaces URLs, e-mails and standalone numbers", () => {
  assert.equal(replaceUrls("see https://x.org/a?b=1 or www.y.com now"), "see <url> or <url> now");
  assert.equal(replaceEmails("mail me@example.org."), "mail <email>.");
  assert.equal(replaceNumbers("3 cats, 3.5 kg, 100,000 and 12% but mp3 stays"), "<num> cats, <num> kg, <num> and <num> but mp3 stays");
});

test("strips HTML tags and collapses whitespace", () => {
  assert.equal(collapseWhitespace(stripHtmlTags("a<br />b <b>bold</b>\n\n c")), "a b bold c");
});

test("simple words keep inner apostrophes", () => {
  assert.deepEqual(simpleWords("Don't STOP, it's 2024!"), ["don't", "stop", "it's", "2024"]);
});

test("stopword removal keeps negations", () => {
  assert.deepEqual(removeStopwords(["this", "is", "not", "a", "good", "movie"]), ["not", "good", "movie"]);
  assert.ok(!ENGLISH_STOPWORDS.has("not") && !ENGLISH_STOPWORDS.has("no"));
});

test("cleanText chains the steps", () => {
  assert.deepEqual(cleanText("<p>Visit https://a.io, it's 5 stars!</p>"), ["visit", "<url>", "it's", "<num>", "stars"]);
  assert.deepEqual(cleanText("The film is not bad", { stopwords: true }), ["film", "not", "bad"]);
});
