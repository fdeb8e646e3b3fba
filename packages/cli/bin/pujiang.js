#!/usr/bin/env node
// npm links `pujiang` at install time, before anything is built: the link needs a file that
// exists then, so it points here, and this loads the built CLI (or says how to build it).
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/main.js', import.meta.url);
try {
  await import(main.href);
} catch (error) {
  // Only the CLI's own entry missing means "not built"; anything else is a real failure.
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(fileURLToPath(main)))
    throw error;
  process.stderr.write(
    'error CLI_NOT_BUILT: the pujiang command is not built yet; run `npm run build` (after `npm install`) in the repository first\n',
  );
  process.exitCode = 2;
}
