import type { LightClient } from '@pujiang/sdk/browser';
import type { CertifiedHeader } from '@pujiang/sdk/verify';
import { verifiedLatestHeader } from '../../chain/proven-query.js';
import { ProvenState, stateKey } from '../../chain/proven-state.js';
import type { Proof } from '../../components/proof-badge.js';

/** Module-relative reads, answered only from the proven ones (a key the query never read throws). */
export type ProvenRead = (key: string) => Uint8Array | undefined;

export interface ProvenRecord<T> {
  readonly value: T;
  readonly proof: Proof;
  /** The certified header the reads were proven under (absent when the proof was refused). */
  readonly header?: CertifiedHeader;
}

export interface RecordQuery<T> {
  readonly module: string;
  readonly name: string;
  readonly params: Record<string, string>;
  /** Module-relative keys the query must have read, so that their absence is proven too. */
  readonly required: readonly string[];
  /** The value rebuilt from the proven reads with the module's own record readers. */
  readonly rebuild: (read: ProvenRead) => T;
  /** The value as the node's answer says it, shown only under a refused proof. */
  readonly fromNode: (result: unknown) => T;
}

/**
 * A module query whose answer the page rebuilds itself from the reads proven under a certified
 * header (the module's readers over `ProvenState`), never from the node's `result`. Run at
 * `header` when given, so several records of one view are proven at the same height; by
 * default at the shared latest verified header. When the proof fails, the node's answer is
 * returned under a refused proof so the page can show what the node claimed; a query the node
 * refuses (bad parameters) throws.
 */
export async function provenRecord<T>(
  light: LightClient,
  q: RecordQuery<T>,
  header?: CertifiedHeader,
): Promise<ProvenRecord<T>> {
  let failure: unknown;
  try {
    const at = header ?? (await verifiedLatestHeader(light));
    const verified = await light.verifiedQuery(
      q.module,
      q.name,
      q.params,
      q.required.map((key) => stateKey(q.module, key)),
      { height: at.height },
    );
    const state = new ProvenState(verified, q.module);
    return {
      value: q.rebuild((key) => state.bytes(key)),
      proof: { state: 'proven', height: verified.height },
      header: at,
    };
  } catch (error) {
    failure = error;
  }
  const answer = await light.client.query(q.module, q.name, q.params);
  return { value: q.fromNode(answer.result), proof: { state: 'failed', error: failure } };
}

/** One badge for records proven together: proven at the lowest height when all are, else the first refusal. */
export function jointProof(proofs: readonly Proof[]): Proof {
  const failed = proofs.find((p) => p.state !== 'proven');
  if (failed) return failed;
  const heights = proofs.map((p) => (p.state === 'proven' ? p.height : 0));
  return heights.length === 0 ? { state: 'unproven' } : { state: 'proven', height: Math.min(...heights) };
}

/** Saves `text` as a file in the browser (nothing is uploaded). */
export function downloadText(name: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download by the next task; the object URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
