/**
 * The intent bot's answers: one template per Banking77 intent, written for this course (a fictional bank; the
 * answers point to where things are in an app, they state no real bank's policy). `title` is how the bot names the
 * intent when it offers the closest ones in a fallback ("Did you mean: card delivery, …?").
 * The 50 in-scope intents of BANKING77-OOS are answered; the 27 held-out ones have templates too, so a bot trained
 * on all 77 intents answers everything.
 */

/** What the bot says for one intent. */
export interface IntentTemplate {
  /** A few words naming the topic, for the fallback's suggestions. */
  title: string;
  /** The answer. */
  answer: string;
}

/** Banking77 intent → template (keys spelled as Banking77's `categories.json`). */
export const INTENT_TEMPLATES: Readonly<Record<string, IntentTemplate>> = Object.freeze({
  Refund_not_showing_up: { title: "a refund that has not arrived", answer: "Refunds reach your account 3–5 working days after the merchant sends them. If it has been longer, open the payment in the app and tap 'Refund missing' so we can chase the merchant." },
  activate_my_card: { title: "activating your card", answer: "Open the app, go to Cards, choose the new card and tap 'Activate'; you will be asked for the 6-digit code printed on the letter that came with it." },
  age_limit: { title: "age requirements", answer: "You can open an account from the age of 18; customers aged 13–17 can use a youth account set up by a parent." },
  apple_pay_or_google_pay: { title: "Apple Pay or Google Pay", answer: "Yes: in the app, open Cards, choose the card and tap 'Add to Apple Wallet' or 'Add to Google Pay'." },
  atm_support: { title: "using ATMs", answer: "Your card works at any ATM that shows the Visa or Mastercard logo; the app's map lists the ones near you." },
  automatic_top_up: { title: "automatic top-ups", answer: "Turn on Auto top-up under Account › Top up: choose the amount and the balance that triggers it." },
  balance_not_updated_after_bank_transfer: { title: "a bank transfer not in your balance", answer: "Incoming bank transfers usually arrive within a working day. If yours has not, send us the sender's reference from the Transfers screen and we will trace it." },
  balance_not_updated_after_cheque_or_cash_deposit: { title: "a cash or cheque deposit not in your balance", answer: "Cash deposits show within a working day and cheques within 3 working days. Keep the deposit receipt; if the time has passed, send us a photo of it from Help." },
  beneficiary_not_allowed: { title: "a payee that cannot be added", answer: "Some payees are refused when their details do not match the receiving bank's records. Check the name and account number, then try again; if it still fails, tell us the payee's bank." },
  cancel_transfer: { title: "cancelling a transfer", answer: "A transfer can be cancelled while it is still 'Pending': open it in Transfers and tap 'Cancel'. Once it is completed, ask the recipient to return the money." },
  card_about_to_expire: { title: "a card about to expire", answer: "We send a new card automatically a month before the old one expires; you can check its status under Cards." },
  card_acceptance: { title: "where the card is accepted", answer: "The card is accepted wherever its network's logo (Visa or Mastercard) is shown, online and in shops." },
  card_arrival: { title: "a card that has not arrived", answer: "Cards arrive within 7 working days. Track yours under Cards › Delivery; if it is late, you can freeze it and order a replacement there." },
  card_delivery_estimate: { title: "how long card delivery takes", answer: "Standard delivery takes 3–7 working days; express delivery (where offered) takes 1–2." },
  card_linking: { title: "linking a card to your account", answer: "Open Cards and tap 'Link a card' to add a card you already have; you will need the code from its letter." },
  card_not_working: { title: "a card that does not work", answer: "Check in the app that the card is not frozen and is activated. If it still fails, tap 'Card not working' under Cards and we will send a replacement." },
  card_payment_fee_charged: { title: "a fee on a card payment", answer: "Card payments in your account's currency are free; payments in another currency above your monthly allowance carry a small fee, shown on the payment's details." },
  card_payment_not_recognised: { title: "a card payment you do not recognise", answer: "Freeze the card in the app first. Then open the payment and tap 'I don't recognise this'; we will investigate and may send a new card." },
  card_payment_wrong_exchange_rate: { title: "the exchange rate of a card payment", answer: "Card payments use the network's rate on the day the merchant settles, which can differ from the rate shown when you paid. The payment's details show the rate applied." },
  card_swallowed: { title: "a card kept by an ATM", answer: "Freeze the card in the app straight away and order a replacement under Cards; the ATM's bank will destroy the old card." },
  cash_withdrawal_charge: { title: "ATM withdrawal fees", answer: "Withdrawals are free up to your monthly allowance; above it, a small percentage is charged. Some ATM owners add their own fee, shown on the ATM's screen." },
  cash_withdrawal_not_recognised: { title: "a cash withdrawal you do not recognise", answer: "Freeze the card now, then open the withdrawal in the app and tap 'I don't recognise this' so we can investigate." },
  change_pin: { title: "changing your PIN", answer: "You can change your PIN at any ATM that offers PIN services, or view it in the app under Cards › Show PIN." },
  compromised_card: { title: "a compromised card", answer: "Freeze the card in the app, check recent payments, and order a replacement under Cards; report any payment you did not make." },
  contactless_not_working: { title: "contactless not working", answer: "For security, a card's first payment must use the chip and PIN; contactless works after that. If it still fails, check the contactless limit under Cards › Limits." },
  country_support: { title: "the countries we support", answer: "You can open an account if you live in one of the countries listed in the app's Help › Where we operate; the card works worldwide." },
  declined_card_payment: { title: "a declined card payment", answer: "Payments are declined when the balance is too low, the card is frozen, or a limit is reached. The declined payment in the app shows the reason." },
  declined_cash_withdrawal: { title: "a declined cash withdrawal", answer: "Withdrawals are declined for a wrong PIN, a low balance or a daily limit. The app shows the reason on the declined withdrawal." },
  declined_transfer: { title: "a declined transfer", answer: "Transfers can be declined when details are wrong or a security check is needed. Open the transfer for the reason and follow the steps shown." },
  direct_debit_payment_not_recognised: { title: "a direct debit you do not recognise", answer: "Open the direct debit in the app and tap 'I don't recognise this'; under the Direct Debit Guarantee you can ask for a full refund." },
  disposable_card_limits: { title: "limits of disposable cards", answer: "A disposable virtual card works for one payment, then its details change; you can create up to 20 a day." },
  edit_personal_details: { title: "changing your personal details", answer: "Change your address, phone or email under Profile › Personal details; a change of name needs a photo of an ID document." },
  exchange_charge: { title: "currency exchange fees", answer: "Exchanging money in the app is free up to your monthly allowance; above it, a small fee applies, shown before you confirm." },
  exchange_rate: { title: "our exchange rates", answer: "We use the interbank rate during market hours; the app shows the exact rate before you exchange." },
  exchange_via_app: { title: "exchanging currency in the app", answer: "Open Accounts, tap 'Exchange', pick the two currencies and the amount, and confirm." },
  extra_charge_on_statement: { title: "an unexpected charge on your statement", answer: "Open the charge in the app to see what it is; if it is a fee you did not expect, tap 'Help with this payment' and we will explain it." },
  failed_transfer: { title: "a failed transfer", answer: "A failed transfer returns the money to your account within a working day. Check the recipient's details and try again." },
  fiat_currency_support: { title: "the currencies we hold", answer: "You can hold and exchange the currencies listed under Accounts › Add currency." },
  get_disposable_virtual_card: { title: "getting a disposable virtual card", answer: "Open Cards, tap '+' and choose 'Disposable virtual card'; its details change after each payment." },
  get_physical_card: { title: "getting a physical card", answer: "Order a physical card under Cards › Order card; it arrives within 7 working days." },
  getting_spare_card: { title: "getting an extra card", answer: "You can order an additional card under Cards › Order card; each account can have several." },
  getting_virtual_card: { title: "getting a virtual card", answer: "Open Cards, tap '+' and choose 'Virtual card'; you can use it online straight away." },
  lost_or_stolen_card: { title: "a lost or stolen card", answer: "Freeze the card in the app immediately, then report it lost or stolen under Cards; we will cancel it and send a new one." },
  lost_or_stolen_phone: { title: "a lost or stolen phone", answer: "Log in from another device or call us to freeze your account and cards, then change your password." },
  order_physical_card: { title: "ordering a physical card", answer: "Order a physical card under Cards › Order card; choose the delivery address and confirm." },
  passcode_forgotten: { title: "a forgotten passcode", answer: "On the login screen, tap 'Forgot passcode' and follow the steps; you will need your phone number and email." },
  pending_card_payment: { title: "a pending card payment", answer: "Card payments stay pending until the merchant settles them, usually within a few days; the amount is reserved meanwhile." },
  pending_cash_withdrawal: { title: "a pending cash withdrawal", answer: "Withdrawals show as pending until the ATM's bank confirms them, usually within a day." },
  pending_top_up: { title: "a pending top-up", answer: "Top-ups by card are usually instant but can stay pending for up to an hour while the card's bank confirms them." },
  pending_transfer: { title: "a pending transfer", answer: "Transfers can stay pending for up to a working day, longer when a security check is needed; the app shows each transfer's status." },
  pin_blocked: { title: "a blocked PIN", answer: "After three wrong PINs the card's PIN is blocked; unblock it under Cards › Unblock PIN, then use the right PIN at an ATM." },
  receiving_money: { title: "receiving money", answer: "Share your account details from Accounts › Details; transfers in your account's currency arrive within a working day." },
  request_refund: { title: "asking for a refund", answer: "Refunds come from the merchant: ask them first. If they refuse, open the payment in the app and tap 'Dispute' to start a chargeback." },
  "reverted_card_payment?": { title: "a card payment that was reverted", answer: "A payment is reverted when the merchant cancels it before settling; the money returns to your balance within a few days." },
  supported_cards_and_currencies: { title: "which cards and currencies you can use", answer: "You can top up with Visa or Mastercard debit and credit cards, and pay in any currency the card network accepts." },
  terminate_account: { title: "closing your account", answer: "Close your account under Profile › Close account; withdraw your balance first." },
  top_up_by_bank_transfer_charge: { title: "fees for topping up by bank transfer", answer: "Topping up by bank transfer is free." },
  top_up_by_card_charge: { title: "fees for topping up by card", answer: "Topping up with a card issued in your country is free; cards issued elsewhere may carry a small fee, shown before you confirm." },
  top_up_by_cash_or_cheque: { title: "topping up with cash or a cheque", answer: "You can deposit cash at partner shops listed in the app; cheques are not accepted." },
  top_up_failed: { title: "a failed top-up", answer: "Top-ups fail when the card's bank declines them; check with your bank or try another card." },
  top_up_limits: { title: "top-up limits", answer: "Your top-up limits are shown under Account › Limits; they rise once your identity is verified." },
  top_up_reverted: { title: "a top-up that was reverted", answer: "A top-up is reverted when the card's bank cancels it; the money goes back to that card within a few days." },
  topping_up_by_card: { title: "topping up with a card", answer: "Tap 'Top up', choose 'Card', enter the card details and the amount, and confirm." },
  transaction_charged_twice: { title: "a payment charged twice", answer: "Often one of the two is a pending authorisation that drops off within a few days. If both complete, open one and tap 'Charged twice'." },
  transfer_fee_charged: { title: "a fee on a transfer", answer: "Transfers in your account's currency are free; international transfers carry the fee shown before you confirm." },
  transfer_into_account: { title: "transferring money into your account", answer: "Use the account details under Accounts › Details to send money from another bank." },
  transfer_not_received_by_recipient: { title: "a transfer the recipient has not received", answer: "Check the transfer's status in the app. Completed transfers can take a working day to show at the other bank; send the recipient the transfer's reference." },
  transfer_timing: { title: "how long transfers take", answer: "Transfers in the same currency arrive within a working day; international ones take 1–3 working days." },
  unable_to_verify_identity: { title: "trouble verifying your identity", answer: "Make sure the photo of your ID is sharp and not cropped and that the selfie is well lit; you can retry under Profile › Verify identity." },
  verify_my_identity: { title: "verifying your identity", answer: "Go to Profile › Verify identity and follow the steps: a photo of an ID document and a selfie." },
  verify_source_of_funds: { title: "proof of the source of funds", answer: "We may ask where your money comes from to meet anti-money-laundering rules; upload a payslip or bank statement under Help." },
  verify_top_up: { title: "verifying a top-up card", answer: "We may ask you to verify a card used for top-ups by entering the code shown on your card statement; follow the prompt in the app." },
  virtual_card_not_working: { title: "a virtual card that does not work", answer: "Check the virtual card is not frozen and that the merchant accepts virtual cards; if it still fails, create a new one under Cards." },
  visa_or_mastercard: { title: "Visa or Mastercard", answer: "Our cards are issued as Visa or Mastercard depending on your country; the card's face shows which." },
  why_verify_identity: { title: "why we verify identities", answer: "The law requires banks to know their customers, to prevent fraud and money laundering; verification also protects your account." },
  wrong_amount_of_cash_received: { title: "wrong cash from an ATM", answer: "Keep the ATM receipt, open the withdrawal in the app and tap 'Wrong amount received'; we will claim the difference from the ATM's bank." },
  wrong_exchange_rate_for_cash_withdrawal: { title: "the exchange rate of a cash withdrawal", answer: "Withdrawals abroad use the network's rate plus any ATM owner fee; decline the ATM's own conversion to get our rate." },
});

/**
 * The template of `intent`.
 * @throws naming the intent when there is none (a bot trained on other labels needs its own templates)
 */
export function intentTemplate(intent: string): IntentTemplate {
  const t = INTENT_TEMPLATES[intent];
  if (t === undefined) throw new Error(`no answer template for intent "${intent}"; lib/apps/intent-templates.ts covers the 77 Banking77 intents`);
  return t;
}
