// `@pujiang/module-docs`: formats, query contracts and the credential shape (browser-safe).
// The chain module is `./chain`, client calls `./client`, verification `./verify`, commands `./cli`.
export * from './credential.js';
export * from './formats.js';
export type { DocsRead, DocumentJson, HolderEntryJson } from './records.js';
export { byFileAnswer, documentAnswer, documentJson, holdersAnswer, readDocument } from './records.js';
export * from './schemas.js';
