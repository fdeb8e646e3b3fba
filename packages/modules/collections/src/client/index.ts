// `@pujiang/module-collections/client`: private data collections from an application.
export type { PrivateDataReturnType, PutPrivateDataReturnType } from './private-data.js';
export {
  defineCollection,
  getCollection,
  getPrivateData,
  getPrivateEntry,
  purgePrivateData,
  putPrivateData,
} from './private-data.js';
