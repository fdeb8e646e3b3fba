// @pujiang/module-lc: formats (browser-safe): the banking-day calendar, amounts and SWIFT MT700
// terms. The chain module is `./chain`, client calls `./client`, commands `./cli`.
export * from './amounts.js';
export * from './calendar.js';
export * from './calendar-days.js';
export * from './formats.js';
export { MAX_MESSAGE_CHARS, MAX_TEXT_BLOCK_CHARS, mt700Banks } from './mt700-blocks.js';
export { formatMt700 } from './mt700-format.js';
export { parseMt700 } from './mt700-parse.js';
export { BIC, documentItems } from './mt700-text.js';
export * from './mt700-types.js';
export type { AmendmentJson, CalendarYearAnswer, CreditJson, LcRead, PresentationJson } from './records.js';
export {
  amendmentAnswer,
  calendarAnswer,
  creditAnswer,
  creditByNumberAnswer,
  creditJson,
  lcBanksAnswer,
  presentationAnswer,
  readCredit,
} from './records.js';
export * from './schemas.js';
