// Writes the OpenAPI document of a chain running the default modules (as /v1/openapi.json
// serves it) to the given file, for `npm run lint:openapi`. Needs a build.
import { writeFileSync } from 'node:fs';
import { DEFAULT_MODULES, openApiFor } from '@pujiang/node';

const out = process.argv[2] ?? 'openapi.json';
writeFileSync(out, `${JSON.stringify(openApiFor(DEFAULT_MODULES), null, 2)}\n`);
console.log(`wrote ${out}`);
