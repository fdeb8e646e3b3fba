export type { CommandContext, ModuleCommand } from './command.js';
export { readFileOption, readJsonOption } from './files.js';
export type { CliErrorCode, CommandIo } from './io.js';
export { EXIT, printJson, reportError, usageError } from './io.js';
export { intOption, required } from './options.js';
export type { NodeOptionValues, Sent, WaitChoice } from './submit.js';
export {
  DEFAULT_NODE_URL,
  eventsOf,
  NODE_OPTIONS,
  nodeUrl,
  SEND_OPTIONS,
  sendAndReport,
  waitChoice,
} from './submit.js';
