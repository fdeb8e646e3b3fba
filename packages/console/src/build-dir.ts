import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the console's build is (`dist/app`, from `npm run build`), for a node to serve at
 * `/console/`; undefined when the package was installed without it.
 */
export function consoleBuildDir(): string | undefined {
  const dir = fileURLToPath(new URL('../app', import.meta.url));
  return existsSync(`${dir}/index.html`) ? dir : undefined;
}
