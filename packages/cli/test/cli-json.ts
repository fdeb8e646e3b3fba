import assert from 'node:assert/strict';
import { run } from './run-in-process.js';

/** `pujiang` in this process, its stdout parsed as JSON when it is (`json` null otherwise). */
export function cliJson(api?: string) {
  return async (...argv: string[]) => {
    const r = await run(...argv, ...(api === undefined ? [] : ['--node', api]));
    let json: any = null;
    try {
      json = JSON.parse(r.out);
    } catch {}
    return { ...r, json };
  };
}

/**
 * A proposal of a chain whose one founding organization approves alone: proposed by its
 * operator, then finalized once the time-lock is over (`gov finalize` retried meanwhile).
 */
export async function governAlone(cli: ReturnType<typeof cliJson>, operatorKey: string, ...args: string[]) {
  const proposed = await cli('gov', 'propose', ...args, '--key', operatorKey);
  assert.equal(proposed.code, 0, proposed.err);
  let done = await cli('gov', 'finalize', proposed.json.proposal, '--key', operatorKey);
  for (let i = 0; done.code !== 0 && i < 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    done = await cli('gov', 'finalize', proposed.json.proposal, '--key', operatorKey);
  }
  assert.equal(done.json.proposalStatus, 'executed', done.err);
}
