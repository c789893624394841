/**
 * BANKING77-OOS (Zhang et al. 2022, arXiv:2106.04564) as published: Banking77 cut into 50 in-scope intents and 27
 * held-out intents whose queries are **in-domain out-of-scope** (ID-OOS), plus CLINC150's out-of-scope queries as
 * **out-of-domain** OOS (OOD-OOS). Each split folder holds `seq.in` (one lower-cased utterance per line) and `label`
 * (aligned by line); ID-OOS folders also hold `label_original`, the Banking77 intent.
 *
 * The published files are misaligned with Banking77 (the mirror's SOURCE.md: ~7% of in-scope test labels disagree,
 * 55 "in-scope" test queries belong to held-out intents); `lib/apps/oos-split.ts` rebuilds a clean split. This file
 * reads the files as they are, so the difference can be shown and numbers compared with the paper's.
 */
import { splitLines } from "./decode";
import { DataFormatError } from "./errors";
import type { TextExample } from "./examples";
import { datasetDir, readDatasetFile, type LoadOptions } from "./files";

/** The 50 in-scope intents, spelled as Banking77's `categories.json` (and the published `label` files). */
export const BANKING77_OOS_IN_SCOPE: readonly string[] = Object.freeze([
  "Refund_not_showing_up", "activate_my_card", "apple_pay_or_google_pay", "automatic_top_up", "balance_not_updated_after_bank_transfer",
  "balance_not_updated_after_cheque_or_cash_deposit", "beneficiary_not_allowed", "cancel_transfer", "card_about_to_expire", "card_arrival",
  "card_linking", "card_payment_fee_charged", "card_payment_not_recognised", "card_payment_wrong_exchange_rate", "cash_withdrawal_charge",
  "cash_withdrawal_not_recognised", "change_pin", "country_support", "declined_card_payment", "declined_cash_withdrawal",
  "declined_transfer", "direct_debit_payment_not_recognised", "disposable_card_limits", "edit_personal_details", "exchange_charge",
  "exchange_via_app", "extra_charge_on_statement", "failed_transfer", "fiat_currency_support", "getting_spare_card",
  "lost_or_stolen_phone", "order_physical_card", "pending_card_payment", "pending_cash_withdrawal", "pending_top_up",
  "pending_transfer", "request_refund", "reverted_card_payment?", "supported_cards_and_currencies", "top_up_failed",
  "top_up_reverted", "transaction_charged_twice", "transfer_fee_charged", "transfer_not_received_by_recipient", "transfer_timing",
  "verify_top_up", "visa_or_mastercard", "why_verify_identity", "wrong_amount_of_cash_received", "wrong_exchange_rate_for_cash_withdrawal",
]);

/** The 27 held-out intents: their queries are the in-domain out-of-scope (ID-OOS) set. */
export const BANKING77_OOS_HELD_OUT: readonly string[] = Object.freeze([
  "age_limit", "atm_support", "card_acceptance", "card_delivery_estimate", "card_not_working", "card_swallowed", "compromised_card",
  "contactless_not_working", "exchange_rate", "get_disposable_virtual_card", "get_physical_card", "getting_virtual_card", "lost_or_stolen_card",
  "passcode_forgotten", "pin_blocked", "receiving_money", "terminate_account", "top_up_by_bank_transfer_charge", "top_up_by_card_charge",
  "top_up_by_cash_or_cheque", "top_up_limits", "topping_up_by_card", "transfer_into_account", "unable_to_verify_identity",
  "verify_my_identity", "verify_source_of_funds", "virtual_card_not_working",
]);

/** One published file pair: the utterances and, aligned by line, their labels (1-based line = index + 1). */
export interface OosLines {
  /** Folder inside the dataset, e.g. `test` or `id-oos/valid`. */
  folder: string;
  texts: string[];
  /** `label` (in-scope folders) or `label_original` (ID-OOS folders); OOD-OOS: all `oos`. */
  labels: string[];
}

/** The published BANKING77-OOS files, read as they are (blank utterances kept: line numbers stay aligned). */
export interface Banking77OosFiles {
  train: OosLines;
  validation: OosLines;
  test: OosLines;
  idOos: { train: OosLines; validation: OosLines; test: OosLines };
  oodOos: { validation: OosLines; test: OosLines };
}

/**
 * Zips a `seq.in` text and its label text line by line.
 * @throws DataFormatError naming the label file when the line counts differ
 */
export function parseOosLines(folder: string, seqIn: string, label: string, options: { file?: string } = {}): OosLines {
  const { file = `${folder}/label` } = options;
  const texts = splitLines(seqIn).map((t) => t.trim());
  const labels = splitLines(label).map((l) => l.trim());
  if (texts.length !== labels.length) throw new DataFormatError(file, Math.min(texts.length, labels.length) + 1, `${labels.length} labels for ${texts.length} utterances in ${folder}/seq.in; the two files must align line by line.`);
  return { folder, texts, labels };
}

/** Reads every published file of `banking77_oos` (registry folder, or `options.dir`). */
export async function loadBanking77OosFiles(options: LoadOptions = {}): Promise<Banking77OosFiles> {
  const name = "banking77_oos";
  const dir = await datasetDir(name, options);
  const read = async (folder: string, labelFile = "label") =>
    parseOosLines(folder, await readDatasetFile(name, dir, `${folder}/seq.in`), await readDatasetFile(name, dir, `${folder}/${labelFile}`), { file: `${dir}/${folder}/${labelFile}` });
  return {
    train: await read("train"),
    validation: await read("valid"),
    test: await read("test"),
    idOos: { train: await read("id-oos/train", "label_original"), validation: await read("id-oos/valid", "label_original"), test: await read("id-oos/test", "label_original") },
    oodOos: { validation: await read("ood-oos/valid"), test: await read("ood-oos/test") },
  };
}

/**
 * In-scope lines as examples over {@link BANKING77_OOS_IN_SCOPE}; blank utterances are dropped (they carry no text).
 * @throws DataFormatError naming folder and line for a label that is not one of the 50
 */
export function inScopeExamples(lines: OosLines): TextExample[] {
  const index = new Map(BANKING77_OOS_IN_SCOPE.map((l, i) => [l, i]));
  const out: TextExample[] = [];
  lines.texts.forEach((text, i) => {
    const label = index.get(lines.labels[i] as string);
    if (label === undefined) throw new DataFormatError(`${lines.folder}/label`, i + 1, `"${lines.labels[i]}" is not one of the 50 in-scope intents.`);
    if (text !== "") out.push({ text, label });
  });
  return out;
}
