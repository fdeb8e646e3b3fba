import { hashArgument, objectArgument, sdkError, type VerifiedQuerier } from '@pujiang/module-kit';
import { moduleKey } from '@pujiang/protocol';
import { bytesToHex, invalidArgument } from '@pujiang/types';
import { invoiceStateKey, receivableStateKey, SCF_MODULE } from '../formats.js';
import { invoiceAnswer, type ReceivableJson, receivableAnswer } from '../records.js';

/** Module-relative reads answered only from proven ones (a key the node did not prove fails). */
function provenRead(verified: { readonly reads: ReadonlyMap<string, Uint8Array | undefined> }) {
  return (key: string) => {
    const stateKey = bytesToHex(moduleKey(SCF_MODULE, key));
    if (!verified.reads.has(stateKey))
      throw sdkError('SDK_VERIFICATION_FAILED', 'the node did not prove a read the answer depends on', {
        key: stateKey,
      });
    return verified.reads.get(stateKey);
  };
}

function lightArgument(light: VerifiedQuerier): void {
  objectArgument(light, 'light');
  if (typeof light.verifiedQuery !== 'function') throw invalidArgument('light is a light client', 'light');
}

/**
 * A receivable as a bank or an auditor that trusts no node sees it: rebuilt from state proven
 * under a header the light client certified (null: proven absent).
 */
export async function verifiedReceivable(
  light: VerifiedQuerier,
  id: string,
  options: { height?: number } = {},
): Promise<ReceivableJson | null> {
  lightArgument(light);
  id = hashArgument(id, 'id');
  const proven = await light.verifiedQuery(
    SCF_MODULE,
    'receivable',
    { id },
    [receivableStateKey(id)],
    options,
  );
  return receivableAnswer(provenRead(proven), id);
}

/**
 * The invoice registry, proven: the receivable an invoice digest backs, or null when the
 * invoice is proven free. A bank checks this before it finances against an invoice.
 */
export async function verifiedInvoice(
  light: VerifiedQuerier,
  digest: string,
  options: { height?: number } = {},
): Promise<ReceivableJson | null> {
  lightArgument(light);
  digest = hashArgument(digest, 'digest');
  const proven = await light.verifiedQuery(
    SCF_MODULE,
    'invoice',
    { digest },
    [invoiceStateKey(digest)],
    options,
  );
  return invoiceAnswer(provenRead(proven), digest);
}
