import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODULES, openApiFor } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Pairs of paths that some request could match both of with neither more specific (Redocly's
 * notion): each segment equal or a parameter on one side, and each side literal where the
 * other has a parameter somewhere.
 */
function ambiguousPairs(paths: readonly string[]): string[] {
  const pairs: string[] = [];
  const param = (s: string) => s.startsWith('{');
  for (let i = 0; i < paths.length; i++)
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i]!.split('/');
      const b = paths[j]!.split('/');
      if (a.length !== b.length || !a.every((s, k) => s === b[k] || param(s) || param(b[k]!))) continue;
      const aMoreLiteral = a.some((s, k) => !param(s) && param(b[k]!));
      const bMoreLiteral = b.some((s, k) => !param(s) && param(a[k]!));
      if (aMoreLiteral && bMoreLiteral) pairs.push(`${paths[i]} ${paths[j]}`);
    }
  return pairs;
}

describe('the OpenAPI document', () => {
  const document = openApiFor(DEFAULT_MODULES);

  it('lints clean under Redocly’s recommended rules, but for the two the config justifies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pujiang-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const lint = spawnSync(
        process.execPath,
        [
          join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'),
          'lint',
          '--format=stylish',
          '--config',
          join(ROOT, 'redocly.yaml'),
          file,
        ],
        {
          encoding: 'utf8',
          timeout: 120_000,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      );
      const output = lint.stdout + lint.stderr;
      assert.equal(lint.status, 0, output);
      assert.match(output, /Your API description is valid/);
      assert.doesNotMatch(output, /\d+:\d+\s+(warning|error)\s/); // a finding: line:column severity rule
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the config’s two exceptions hold: only the event stream lacks a 2xx, only /v1/blocks/hash/{hash} and /v1/blocks/{height}/… look ambiguous', () => {
    const without2xx = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(
          ([, op]) => !Object.keys((op as { responses: object }).responses).some((s) => s.startsWith('2')),
        )
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    assert.deepEqual(without2xx, ['GET /v1/events']);
    assert.deepEqual(ambiguousPairs(Object.keys(document.paths)), [
      '/v1/blocks/hash/{hash} /v1/blocks/{height}/hooks',
      '/v1/blocks/hash/{hash} /v1/blocks/{height}/receipts',
    ]);
  });

  it('names every operation URL-safely and says who may call it', () => {
    const ids = new Set<string>();
    for (const operations of Object.values(document.paths))
      for (const op of Object.values(operations) as { operationId: string; security: unknown[] }[]) {
        assert.match(op.operationId, /^[A-Za-z0-9._-]+$/);
        assert.ok(!ids.has(op.operationId), `${op.operationId} repeats`);
        ids.add(op.operationId);
        assert.ok(Array.isArray(op.security));
      }
    const issue = document.paths['/credentials/issue']!.post as { security: unknown[] };
    assert.deepEqual(issue.security, [{ bearerToken: [] }]);
  });
});
