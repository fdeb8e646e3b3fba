// `@pujiang/module-data`: formats and query contracts. The chain module is `./chain`, client
// calls `./client`, the data service `./service`, the offline audit `./verify`, commands `./cli`.
export * from './errors.js';
export * from './formats.js';
export * from './records-json.js';
export * from './schemas.js';
