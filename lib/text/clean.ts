/**
 * Classic text cleaning for the preprocessing lesson: small, separate steps you can chain and switch off.
 * BERT's own normalisation lives in `normalizer.ts`; these are the older bag-of-words habits.
 */
import { ENGLISH_STOPWORDS } from "./stopwords";

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"']+/giu;
const EMAIL_PATTERN = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/gu;
const NUMBER_PATTERN = /(?<![\p{L}\p{N}])[+-]?\d+(?:[.,]\d+)*(?:%)?(?![\p{L}\p{N}])/gu;
const HTML_TAG_PATTERN = /<\/?[a-zA-Z][^<>]*>/g;

/** Replaces http(s) and www. URLs with `placeholder` (default "<url>"). */
export function replaceUrls(text: string, placeholder = "<url>"): string {
  return text.replace(URL_PATTERN, placeholder);
}

/** Replaces e-mail addresses with `placeholder` (default "<email>"). */
export function replaceEmails(text: string, placeholder = "<email>"): string {
  return text.replace(EMAIL_PATTERN, placeholder);
}

/** Replaces standalone numbers ("42", "3.5", "100,000", "-7", "12%") with `placeholder` (default "<num>"); "mp3" stays. */
export function replaceNumbers(text: string, placeholder = "<num>"): string {
  return text.replace(NUMBER_PATTERN, placeholder);
}

/** Removes HTML tags such as `<br />` (keeps the text between them). */
export function stripHtmlTags(text: string): string {
  return text.replace(HTML_TAG_PATTERN, " ");
}

/**
 * Trims and turns every run of whitespace into one space. Whitespace here is JavaScript's Unicode notion (U+00A0,
 * U+2028, U+3000 … too), on purpose: this cleans prose, it does not read a file format (see `format-whitespace.ts`).
 */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

/** Splits into lowercase words of letters, digits and inner apostrophes ("don't" stays one word). */
export function simpleWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [];
}

/** Drops the words in `stopwords` (default {@link ENGLISH_STOPWORDS}); compares lowercase. */
export function removeStopwords(words: readonly string[], stopwords: ReadonlySet<string> = ENGLISH_STOPWORDS): string[] {
  return words.filter((w) => !stopwords.has(w.toLowerCase()));
}

/** Options of {@link cleanText}; every step on by default except stopword removal. */
export interface CleanTextOptions {
  stripHtml?: boolean;
  urls?: boolean;
  emails?: boolean;
  numbers?: boolean;
  stopwords?: boolean;
}

/**
 * The classic pipeline: strip HTML, replace URLs, e-mails and numbers, lowercase into words, optionally drop
 * stopwords. Returns the words.
 */
export function cleanText(text: string, options: CleanTextOptions = {}): string[] {
  const { stripHtml = true, urls = true, emails = true, numbers = true, stopwords = false } = options;
  let t = text;
  if (stripHtml) t = stripHtmlTags(t);
  if (urls) t = replaceUrls(t, " URLTOKEN ");
  if (emails) t = replaceEmails(t, " EMAILTOKEN ");
  if (numbers) t = replaceNumbers(t, " NUMTOKEN ");
  const words = simpleWords(t).map((w) => (w === "urltoken" ? "<url>" : w === "emailtoken" ? "<email>" : w === "numtoken" ? "<num>" : w));
  return stopwords ? removeStopwords(words) : words;
}
