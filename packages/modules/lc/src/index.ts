// @pujiang/module-lc: formats (browser-safe): the banking-day calendar and SWIFT MT700 terms.
// The chain module is `./chain`, client calls `./client`, commands `./cli`.
export * from './calendar.js';
export * from './calendar-days.js';
