// `@pujiang/module-collections`: formats and query contracts (browser-safe). The chain
// module is `./chain`, client calls `./client`, offline verification `./verify`.
export * from './formats.js';
export * from './schemas.js';
