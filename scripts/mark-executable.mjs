// tsc does not keep the executable bit; npm's bin link needs it on the CLI entry point.
import { chmodSync } from 'node:fs';

for (const file of process.argv.slice(2)) chmodSync(file, 0o755);
