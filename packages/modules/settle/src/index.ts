// @pujiang/module-settle: formats (browser-safe).
export * from './iso20022/index.js';
