import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageContext, VerifiedQuerier } from '@pujiang/module-kit';
import { moduleError } from '@pujiang/module-kit';
import { moduleKey } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, isPujiangError } from '@pujiang/types';
import { docs } from '../src/chain/index.js';
import { verifiedDocsLookup } from '../src/client/verify.js';
import { DOCS_MODULE, documentIdHex, type RegisterDocument, ZERO_DIGEST } from '../src/formats.js';
import { byFileAnswer, documentAnswer, holdersAnswer } from '../src/records.js';
import { MAX_HOLDERS_PAGE } from '../src/schemas.js';

/**
 * The registry's handlers over an in-memory state, with the did, governance and notary exports
 * they import played by small fakes: who may act for a DID, who is a member, what is anchored.
 * The real modules and processes are exercised in packages/cli/test/docs-bill-of-lading.test.ts.
 */
const CARRIER = 'did:pujiang:c:Carrier111111111111111';
const OTHER = 'did:pujiang:c:Other11111111111111111';
const addr = (n: number) => n.toString(16).padStart(42, '0');
const [agent, shipper, bank, consignee, outsider] = [1, 2, 3, 4, 5].map(addr) as [
  string,
  string,
  string,
  string,
  string,
];
/** Who may act for which DID: the carrier's agent for the carrier, the bank for a DID of its own. */
const controllers = new Map([
  [CARRIER, agent],
  [OTHER, bank],
]);

function fakeChain() {
  const state = new Map<string, Uint8Array>();
  const events: { type: string; attributes: Record<string, string> }[] = [];
  const anchors = new Map<string, string>();
  const members = new Set([agent, shipper, bank, consignee]);
  let height = 10n;
  const ctx = (sender: string, endorsers: readonly string[]): MessageContext => {
    const c = {
      module: 'docs',
      height,
      time: height * 1000n,
      chainHash: 'sha256',
      chainId: 'c',
      txHash: bytesToHex(new Uint8Array(32).fill(Number(height % 256n))),
      sender,
      endorsers: endorsers.map((address) => ({ address, key: undefined })),
      gasLeft: () => 1_000_000,
      consume: () => {},
      get: (k: string) => state.get(k),
      set: (k: string, v: Uint8Array | undefined) => (v === undefined ? state.delete(k) : state.set(k, v)),
      emit: (type: string, attributes: Record<string, string>) => events.push({ type, attributes }),
      call: (module: string, name: string, args: Record<string, string>) => {
        if (module === 'did' && name === 'actsFor') {
          if (controllers.get(args.did!) !== sender)
            throw moduleError('DID_NOT_AUTHORIZED', 'not a controller');
          return true;
        }
        if (module === 'governance' && name === 'identityOf')
          return members.has(args.address!) ? { org: 'o', role: 'client', valid: true } : null;
        if (module === 'notary' && name === 'anchorFor') {
          const existing = anchors.has(args.digest!);
          anchors.set(args.digest!, args.ref!);
          return { root: args.digest, height: '1', txHash: '00'.repeat(32), existing };
        }
        throw new Error(`unexpected call ${module}/${name}`);
      },
      attempt: (run: () => unknown) => {
        const saved = new Map(state);
        try {
          return { ok: true, value: run() };
        } catch (error) {
          state.clear();
          for (const [k, v] of saved) state.set(k, v);
          if (!isPujiangError(error)) throw error;
          return { ok: false, error };
        }
      },
    };
    return c as unknown as MessageContext;
  };
  /** Runs a message as one transaction (all or nothing); the code it failed with, or OK. */
  const send = (
    sender: string,
    type: keyof typeof docs.messages,
    message: unknown,
    endorsers: readonly string[] = [],
  ): string => {
    height++;
    const saved = new Map(state);
    try {
      docs.messages[type]!.handle(ctx(sender, endorsers), message);
      return 'OK';
    } catch (error) {
      state.clear();
      for (const [k, v] of saved) state.set(k, v);
      if (isPujiangError(error)) return error.code;
      throw error;
    }
  };
  return { state, events, anchors, send, read: (k: string) => state.get(k) };
}

const digest = (n: number) => new Uint8Array(32).fill(n);
const billOfLading = (over: Partial<RegisterDocument> = {}): RegisterDocument => ({
  docType: 'BillOfLading',
  issuer: CARRIER,
  subject: 'did:pujiang:c:Shipper1111111111111111',
  number: 'COSU-6312345670',
  fileDigest: digest(7),
  credentialDigest: digest(9),
  transferable: true,
  holder: [hexToBytes(shipper)],
  ...over,
});

describe('the docs registry', () => {
  it('registers a document for an issuer the sender acts for, once per number and per file; notarizes the file', () => {
    const chain = fakeChain();
    assert.equal(chain.send(outsider, 'register', billOfLading()), 'DOCS_NOT_ISSUER');
    assert.equal(chain.send(agent, 'register', billOfLading({ issuer: OTHER })), 'DOCS_NOT_ISSUER');
    assert.equal(chain.send(bank, 'register', billOfLading()), 'DOCS_NOT_ISSUER');
    assert.equal(chain.send(agent, 'register', billOfLading()), 'OK');
    const id = documentIdHex(CARRIER, 'BillOfLading', 'COSU-6312345670');
    const doc = documentAnswer(chain.read, id)!;
    assert.equal(doc.status, 'active');
    assert.equal(doc.holder, shipper);
    assert.equal(doc.holders, 1);
    assert.equal(doc.fileDigest, bytesToHex(digest(7)));
    assert.equal(chain.anchors.get(bytesToHex(digest(7))), id, 'the anchor refers to the document');
    // The same number again, or another number backed by the same file: duplicates.
    assert.equal(
      chain.send(agent, 'register', billOfLading({ credentialDigest: digest(10) })),
      'DOCS_DUPLICATE',
    );
    assert.equal(chain.send(agent, 'register', billOfLading({ number: 'COSU-2' })), 'DOCS_DUPLICATE');
    // A file stamped before (by anyone) is accepted: the earlier anchor stands.
    chain.anchors.set(bytesToHex(digest(8)), 'earlier');
    assert.equal(
      chain.send(agent, 'register', billOfLading({ number: 'COSU-3', fileDigest: digest(8) })),
      'OK',
    );
  });

  it('refuses malformed registrations: transferability by type, holders, numbers, digests', () => {
    const chain = fakeChain();
    const cases: [Partial<RegisterDocument>, string][] = [
      [{ transferable: false, holder: [] }, 'DOCS_BAD_DOCUMENT'],
      [{ docType: 'CertificateOfOrigin' }, 'DOCS_BAD_DOCUMENT'],
      [{ holder: [] }, 'DOCS_BAD_HOLDER'],
      [{ holder: [hexToBytes(outsider)] }, 'DOCS_BAD_HOLDER'],
      [{ number: 'no spaces' }, 'DOCS_BAD_DOCUMENT'],
      [{ credentialDigest: ZERO_DIGEST }, 'DOCS_BAD_DOCUMENT'],
      [{ subject: 'not a did' }, 'DOCS_BAD_DOCUMENT'],
    ];
    for (const [over, code] of cases)
      assert.equal(
        chain.send(agent, 'register', billOfLading(over)),
        code,
        JSON.stringify(Object.keys(over)),
      );
    const origin = {
      ...billOfLading(),
      docType: 'CertificateOfOrigin' as const,
      transferable: false,
      holder: [],
    };
    assert.equal(chain.send(agent, 'register', { ...origin, fileDigest: ZERO_DIGEST }), 'OK');
    assert.equal(
      documentAnswer(chain.read, documentIdHex(CARRIER, 'CertificateOfOrigin', origin.number))!.fileDigest,
      null,
    );
  });

  it('exclusive control: only the holder transfers, to a member; surrender is final; history is kept', () => {
    const chain = fakeChain();
    assert.equal(chain.send(agent, 'register', billOfLading()), 'OK');
    const id = hexToBytes(documentIdHex(CARRIER, 'BillOfLading', 'COSU-6312345670'));
    const idHex = bytesToHex(id);
    const transfer = (from: string, to: string) => chain.send(from, 'transfer', { id, to: hexToBytes(to) });
    assert.equal(transfer(agent, bank), 'DOCS_NOT_HOLDER', 'the issuer does not control it');
    assert.equal(transfer(shipper, outsider), 'DOCS_BAD_HOLDER');
    assert.equal(transfer(shipper, shipper), 'DOCS_BAD_HOLDER');
    assert.equal(transfer(shipper, bank), 'OK');
    assert.equal(transfer(shipper, consignee), 'DOCS_NOT_HOLDER', 'a former holder');
    assert.equal(transfer(bank, consignee), 'OK');
    assert.equal(chain.send(bank, 'surrender', { id }), 'DOCS_NOT_HOLDER');
    assert.equal(chain.send(consignee, 'surrender', { id }), 'OK');
    assert.equal(chain.send(consignee, 'surrender', { id }), 'DOCS_SURRENDERED');
    assert.equal(transfer(consignee, bank), 'DOCS_SURRENDERED');
    assert.equal(chain.send(agent, 'setStatus', { id, status: 'active' }), 'DOCS_SURRENDERED');
    const { holders, total } = holdersAnswer(chain.read, idHex);
    assert.equal(total, 3);
    assert.deepEqual(
      holders.map((h) => h.holder),
      [shipper, bank, consignee],
    );
    assert.deepEqual(
      chain.events.filter((e) => e.type === 'transferred').map((e) => e.attributes.seq),
      ['1', '2'],
    );
  });

  it('status by the issuer: suspended blocks transfers until reinstated; revoked and superseded are final', () => {
    const chain = fakeChain();
    assert.equal(chain.send(agent, 'register', billOfLading()), 'OK');
    const id = hexToBytes(documentIdHex(CARRIER, 'BillOfLading', 'COSU-6312345670'));
    assert.equal(chain.send(shipper, 'setStatus', { id, status: 'suspended' }), 'DOCS_NOT_ISSUER');
    assert.equal(chain.send(agent, 'setStatus', { id, status: 'suspended' }), 'OK');
    assert.equal(chain.send(shipper, 'transfer', { id, to: hexToBytes(bank) }), 'DOCS_SUSPENDED');
    assert.equal(chain.send(agent, 'setStatus', { id, status: 'active' }), 'OK');
    assert.equal(chain.send(agent, 'setStatus', { id, status: 'active' }), 'DOCS_BAD_STATUS');
    // An amendment: a new bill of the same issuer supersedes it.
    const amended = billOfLading({
      number: 'COSU-6312345670-A1',
      fileDigest: digest(11),
      credentialDigest: digest(12),
    });
    assert.equal(chain.send(agent, 'register', amended), 'OK');
    const newId = hexToBytes(documentIdHex(CARRIER, 'BillOfLading', amended.number));
    assert.equal(chain.send(agent, 'amend', { id, newId: id }), 'DOCS_BAD_AMENDMENT');
    assert.equal(chain.send(agent, 'amend', { id, newId: digest(1) }), 'DOCS_UNKNOWN');
    assert.equal(chain.send(agent, 'amend', { id, newId }, [shipper]), 'OK');
    const old = documentAnswer(chain.read, bytesToHex(id))!;
    assert.deepEqual([old.status, old.supersededBy], ['superseded', bytesToHex(newId)]);
    assert.equal(chain.send(shipper, 'transfer', { id, to: hexToBytes(bank) }), 'DOCS_SUPERSEDED');
    assert.equal(
      chain.send(agent, 'amend', { id: newId, newId: id }, [shipper]),
      'DOCS_BAD_AMENDMENT',
      'no cycles',
    );
    assert.equal(chain.send(agent, 'setStatus', { id: newId, status: 'revoked' }), 'OK');
    assert.equal(chain.send(agent, 'setStatus', { id: newId, status: 'active' }), 'DOCS_REVOKED');
    assert.equal(chain.send(shipper, 'surrender', { id: newId }), 'DOCS_REVOKED');
  });

  it("files are the issuer's own: another member registering a file first blocks nothing of the real issuer's", () => {
    const chain = fakeChain();
    // The bank acts for a DID of its own and registers the carrier's file (it saw the PDF) first.
    const squat = {
      ...billOfLading({ issuer: OTHER, number: 'SQUAT-1', holder: [] }),
      docType: 'CertificateOfOrigin' as const,
      transferable: false,
    };
    assert.equal(chain.send(bank, 'register', squat), 'OK');
    // The carrier's bill on that file registers all the same, and its file points to it.
    assert.equal(chain.send(agent, 'register', billOfLading()), 'OK');
    const id = documentIdHex(CARRIER, 'BillOfLading', 'COSU-6312345670');
    assert.equal(byFileAnswer(chain.read, CARRIER, bytesToHex(digest(7)))?.id, id);
    assert.equal(
      byFileAnswer(chain.read, OTHER, bytesToHex(digest(7)))?.id,
      documentIdHex(OTHER, 'CertificateOfOrigin', 'SQUAT-1'),
    );
    assert.equal(byFileAnswer(chain.read, 'did:pujiang:c:Nobody', bytesToHex(digest(7))), null);
    // Within one issuer a file still backs one document.
    assert.equal(chain.send(agent, 'register', billOfLading({ number: 'COSU-2' })), 'DOCS_DUPLICATE');
    assert.equal(chain.send(bank, 'register', { ...squat, number: 'SQUAT-2' }), 'DOCS_DUPLICATE');
  });

  it('an amendment cannot take a held bill from its holder: same holder, never transferred, the holder consents', () => {
    const chain = fakeChain();
    const bill = (number: string, holder: string, n: number) =>
      billOfLading({
        number,
        holder: [hexToBytes(holder)],
        fileDigest: digest(n),
        credentialDigest: digest(n),
      });
    const idOf = (number: string) => hexToBytes(documentIdHex(CARRIER, 'BillOfLading', number));
    assert.equal(chain.send(agent, 'register', bill('B2', shipper, 20)), 'OK');
    assert.equal(chain.send(shipper, 'transfer', { id: idOf('B2'), to: hexToBytes(bank) }), 'OK');
    // The carrier registers B3 held by its own agent and amends B2 (held by the bank) with it.
    assert.equal(chain.send(agent, 'register', bill('B3', agent, 21)), 'OK');
    assert.equal(chain.send(agent, 'amend', { id: idOf('B2'), newId: idOf('B3') }), 'DOCS_BAD_AMENDMENT');
    assert.equal(
      chain.send(agent, 'amend', { id: idOf('B2'), newId: idOf('B3') }, [bank]),
      'DOCS_BAD_AMENDMENT',
      'not even with the endorsement: the holder would change',
    );
    // An amendment held by the bank, but moved since: refused too.
    assert.equal(chain.send(agent, 'register', bill('B4', bank, 22)), 'OK');
    assert.equal(chain.send(bank, 'transfer', { id: idOf('B4'), to: hexToBytes(consignee) }), 'OK');
    assert.equal(chain.send(consignee, 'transfer', { id: idOf('B4'), to: hexToBytes(bank) }), 'OK');
    assert.equal(
      chain.send(agent, 'amend', { id: idOf('B2'), newId: idOf('B4') }, [bank]),
      'DOCS_BAD_AMENDMENT',
    );
    // Held by the bank from its registration: the bank must still consent.
    assert.equal(chain.send(agent, 'register', bill('B5', bank, 23)), 'OK');
    assert.equal(chain.send(agent, 'amend', { id: idOf('B2'), newId: idOf('B5') }), 'DOCS_HOLDER_CONSENT');
    assert.equal(
      chain.send(agent, 'amend', { id: idOf('B2'), newId: idOf('B5') }, [consignee]),
      'DOCS_HOLDER_CONSENT',
    );
    assert.equal(documentAnswer(chain.read, bytesToHex(idOf('B2')))!.status, 'active');
    assert.equal(chain.send(agent, 'amend', { id: idOf('B2'), newId: idOf('B5') }, [bank]), 'OK');
    const old = documentAnswer(chain.read, bytesToHex(idOf('B2')))!;
    assert.deepEqual([old.status, old.holder], ['superseded', bank]);
    assert.equal(documentAnswer(chain.read, bytesToHex(idOf('B5')))!.holder, bank);
  });

  it('a verifier reads every holder, past the first page', async () => {
    const chain = fakeChain();
    assert.equal(chain.send(agent, 'register', billOfLading()), 'OK');
    const id = documentIdHex(CARRIER, 'BillOfLading', 'COSU-6312345670');
    const total = MAX_HOLDERS_PAGE + 50;
    for (let seq = 1; seq < total; seq++) {
      const [from, to] = seq % 2 === 1 ? [shipper, bank] : [bank, shipper];
      assert.equal(chain.send(from, 'transfer', { id: hexToBytes(id), to: hexToBytes(to) }), 'OK');
    }
    // A light client proving whatever the docs module's state holds (at one height).
    const reads = new Map(
      [...chain.state].map(([k, v]) => [bytesToHex(moduleKey(DOCS_MODULE, k)), v] as const),
    );
    const light: VerifiedQuerier = {
      getVerifiedLatestHeader: async () => ({ height: 20, header: { chainId: 'c', time: 0n } }),
      verifiedQuery: async () => ({ height: 20, reads }),
    };
    const holders = await verifiedDocsLookup(light, 20).holders!(id);
    assert.equal(holders.length, total);
    assert.deepEqual(
      holders.map((h) => h.seq),
      [...Array(total).keys()],
    );
  });
});
