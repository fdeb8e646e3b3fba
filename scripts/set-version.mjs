// Sets one version on every workspace package and on their pins of each other, so the set
// installs together (from tarballs, or from the registry a release publishes to):
//   node scripts/set-version.mjs 0.2.0
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const version = process.argv[2];
if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version ?? '')) {
  console.error('usage: node scripts/set-version.mjs X.Y.Z');
  process.exit(2);
}
const dirs = [
  ...readdirSync('packages').map((d) => join('packages', d)),
  ...readdirSync('packages/modules').map((d) => join('packages/modules', d)),
];
for (const dir of dirs) {
  const file = join(dir, 'package.json');
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    continue; // not a package
  }
  manifest.version = version;
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'])
    for (const name of Object.keys(manifest[field] ?? {}))
      if (name.startsWith('@pujiang/')) manifest[field][name] = version;
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`${manifest.name} ${version}`);
}
