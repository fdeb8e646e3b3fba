import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { encode } from '@pujiang/codec';
import type { CommitCertificate } from '@pujiang/consensus';
import { voteSignBytes } from '@pujiang/consensus';
import {
  generateKeyPair,
  type HashAlgorithm,
  merkleProof,
  merkleRoot,
  type SuiteId,
  sign,
} from '@pujiang/crypto';
import { balanceStateKey } from '@pujiang/module-bank';
import { NotaryAnchor } from '@pujiang/module-notary';
import {
  type BlockHeader,
  blockHash,
  certificateToJson,
  type GenesisJson,
  genesisToJson,
  type HeaderResponse,
  headerToJson,
  merkleProofToJson,
  type ProvenQueryResponse,
  type StateResponse,
  type TxResponse,
  txToJson,
} from '@pujiang/protocol';
import { build } from 'esbuild';
import {
  addressOf,
  BUNDLED_CONTEXTS,
  buildTransaction,
  buildTransfer,
  didKeyOfChainKey,
  didResolver,
  digestDocument,
  documentLoader,
  issueCredential,
  issueSdJwtVc,
  NotaryBatch,
  pendingNotaryReceipts,
  presentCredentials,
  presentSdJwtVc,
  publicJwk,
  toMultibase,
} from '../src/index.js';
import * as nodeVerify from '../src/verify/index.js';
import { CHAIN_ID, clone, headerResponse, makeChain, makeGenesis } from './fixtures.js';

/**
 * `@pujiang/sdk/verify` in a browser: the entry is bundled with esbuild for the browser
 * (so `@pujiang/crypto` resolves to its `browser` files: @noble/hashes, @noble/curves,
 * sm-crypto-v2, Web Crypto), and the bundle runs in a `node:vm` context holding only what a
 * page has (no Buffer, process or require). Real certified headers and committed
 * transactions of an Ed25519/SHA-256 chain, an SM2/SM3 chain and a post-quantum (ML-DSA and
 * hybrid) chain must verify there with the same answers as in Node, and tampering must fail
 * with the same check.
 */

const ENTRY = fileURLToPath(new URL('../src/verify/index.js', import.meta.url));

/** A context with a browser's globals only. TextEncoder answers in the context's own Uint8Array, as a page's does. */
function browserContext(): vm.Context {
  const context = vm.createContext({
    crypto: webcrypto,
    atob,
    btoa,
    console,
    TextDecoder,
    // What every page also has, and JSON-LD processing uses.
    URL,
    URLSearchParams,
    setTimeout,
    clearTimeout,
    AbortController,
    AbortSignal,
    queueMicrotask,
    encodeUtf8: (text: string) => new TextEncoder().encode(text),
  });
  vm.runInContext(
    `{
      globalThis.self = globalThis; // a page's global object names itself
      const encodeUtf8 = globalThis.encodeUtf8;
      delete globalThis.encodeUtf8;
      globalThis.TextEncoder = class TextEncoder {
        get encoding() { return 'utf-8'; }
        encode(text = '') { return new Uint8Array(encodeUtf8(String(text))); }
      };
    }`,
    context,
  );
  return context;
}

/** The API answers for one certified block of a chain, as JSON: what a browser gets from a node. */
interface ChainAnswers {
  genesis: GenesisJson;
  header: HeaderResponse;
  tx: TxResponse;
  state?: StateResponse;
  balance?: { query: ProvenQueryResponse; address: string };
}

const filled = (n: number, byte: number) => new Uint8Array(n).fill(byte);

/**
 * Block 3 of a chain of `chainHash` whose validators have `suites`, certified by all of
 * them, with two transfers. (The fixtures' `makeChain` is bound to SM3, so the SHA-256 and
 * post-quantum chains are made here with the same helpers.)
 */
function smallChain(chainHash: HashAlgorithm, suites: readonly SuiteId[]): ChainAnswers {
  const validators = suites.map((s) => generateKeyPair(s));
  const genesis = { ...makeGenesis(validators), chainHash, acceptedSuites: [...new Set(suites)] };
  const alice = generateKeyPair(suites[0]!);
  const bob = generateKeyPair('ed25519');
  const txs = [0, 1].map((nonce) =>
    buildTransfer({
      chainId: CHAIN_ID,
      chainHash,
      key: alice,
      nonce,
      expiresAtHeight: 100,
      to: addressOf(chainHash, bob),
      amount: 1 + nonce,
    }),
  );
  const wires = txs.map((t) => t.wire);
  const header: BlockHeader = {
    version: 1,
    chainId: CHAIN_ID,
    height: 3n,
    time: 1_700_000_000_000n,
    previousHash: filled(32, 3),
    txRoot: merkleRoot(chainHash, wires),
    txCount: wires.length,
    stateRoot: filled(32, 5),
    resultsRoot: filled(32, 6),
    proposer: filled(21, 1),
  };
  const value = blockHash(chainHash, header);
  const certificate: CommitCertificate = {
    height: 3,
    round: 0,
    value,
    precommits: validators.map((v, validator) => {
      const message = { type: 'precommit' as const, height: 3, round: 0, value, validator };
      return { message, signature: sign(v.secretKey, voteSignBytes(CHAIN_ID, message)).bytes };
    }),
  };
  const index = 1;
  return {
    genesis: genesisToJson(genesis),
    header: { hash: value, header: headerToJson(header), certificate: certificateToJson(certificate) },
    tx: {
      hash: txs[index]!.hash,
      status: 'committed',
      tx: txToJson(txs[index]!.tx),
      raw: txs[index]!.hex,
      height: 3,
      index,
      proof: { tx: merkleProofToJson(merkleProof(chainHash, wires, index)), receipt: null },
    },
  };
}

/**
 * The verify entry's exports: the bundle's (from the browser context, untyped) or Node's.
 * The checks below run on both, so each is a self-contained function of this API (its
 * source is what runs in the context).
 */
type VerifyApi = any;

function verifyAll(V: VerifyApi, input: ChainAnswers) {
  const genesis = V.parseGenesis(input.genesis);
  const header = V.verifyHeader({ genesis, ...input.header, height: Number(input.header.header.height) });
  const tx = V.verifyTransaction(input.tx, header);
  const out: Record<string, unknown> = {
    chainHash: header.chainHash,
    height: header.height,
    hash: header.hash,
    tx: { hash: tx.hash, height: tx.height, index: tx.index, rawLength: tx.raw.length },
  };
  if (input.state) {
    const read = V.verifyStateRead(input.state, header);
    out.state = {
      keyLength: read.key.length,
      valueLength: read.value === undefined ? -1 : read.value.length,
    };
  }
  if (input.balance) {
    const b = V.verifyBalanceQuery(input.balance.query, header, input.balance.address);
    out.balance = String(b.balance);
  }
  return out;
}

function failureOf(V: VerifyApi, input: ChainAnswers) {
  try {
    const header = V.verifyHeader({ genesis: V.parseGenesis(input.genesis), ...input.header });
    V.verifyTransaction(input.tx, header);
    return { threw: false };
  } catch (error) {
    const e = error as { name: string; code: string; check: string; details: { check?: string } };
    return {
      threw: true,
      verificationError: error instanceof V.VerificationError,
      name: e.name,
      code: e.code,
      check: e.check,
      detailsCheck: e.details?.check,
    };
  }
}

const flipHexDigit = (hex: string, at: number) =>
  hex.slice(0, at) + (Number.parseInt(hex[at]!, 16) ^ 1).toString(16) + hex.slice(at + 1);

/** Ways to tamper with a chain's answers, and the check each must fail. */
const TAMPERINGS: { what: string; check: string; tamper(a: ChainAnswers): void }[] = [
  {
    what: 'a header field changed (the certificate commits to another header)',
    check: 'header-hash',
    tamper: (a) => {
      a.header.header.time = String(BigInt(a.header.header.time) + 1n);
      delete (a.header as { hash?: string }).hash;
    },
  },
  {
    what: "the first precommit's signature with its first bit flipped",
    check: 'certificate',
    tamper: (a) => {
      const p = a.header.certificate.precommits[0]!;
      p.signature = flipHexDigit(p.signature, 0);
    },
  },
  {
    what: "the last precommit's signature with its last bit flipped",
    check: 'certificate',
    tamper: (a) => {
      const p = a.header.certificate.precommits.at(-1)!;
      p.signature = flipHexDigit(p.signature, p.signature.length - 1);
    },
  },
  {
    what: 'the transaction bytes changed',
    check: 'tx-hash',
    tamper: (a) => {
      a.tx.raw = flipHexDigit(a.tx.raw, a.tx.raw.length - 1);
    },
  },
];

describe('@pujiang/sdk/verify in a browser', () => {
  let bundle: string;
  let context: vm.Context;
  const chains: Record<string, ChainAnswers> = {};

  /** Runs `check` on the bundle's exports in the browser context; arguments and result cross as JSON. */
  function inBrowser(check: (V: VerifyApi, input: ChainAnswers) => unknown, input: ChainAnswers): unknown {
    context.input = JSON.stringify(input);
    const json = vm.runInContext(
      `JSON.stringify((${check.toString()})(PujiangVerify, JSON.parse(input)))`,
      context,
    );
    return JSON.parse(json as string);
  }

  /** The same check in Node on the verify entry, through JSON as well. */
  function inNode(check: (V: VerifyApi, input: ChainAnswers) => unknown, input: ChainAnswers): unknown {
    return JSON.parse(JSON.stringify(check(nodeVerify, clone(input))));
  }

  before(async () => {
    const result = await build({
      entryPoints: [ENTRY],
      bundle: true,
      platform: 'browser',
      conditions: ['browser'],
      format: 'iife',
      globalName: 'PujiangVerify',
      // The contexts packages name their files relative to import.meta.url, which an ES module
      // page has (its script's URL) and this classic script does not: give it one.
      define: { 'import.meta.url': JSON.stringify('https://page.example/pujiang-verify.js') },
      write: false,
      logLevel: 'silent',
    });
    bundle = result.outputFiles[0]!.text;
    context = browserContext();
    vm.runInContext(bundle, context, { filename: 'pujiang-verify.browser.js' });

    const sm2 = makeChain(['sm2', 'sm2', 'sm2', 'sm2']);
    chains['Ed25519 validators, SHA-256 chain'] = smallChain('sha256', [
      'ed25519',
      'ed25519',
      'ed25519',
      'ed25519',
    ]);
    chains['SM2 validators, SM3 chain'] = {
      genesis: genesisToJson(sm2.genesis),
      header: headerResponse(sm2.header5, sm2.cert5),
      tx: sm2.txResponse(1),
      state: sm2.stateResponse(balanceStateKey(sm2.aliceAddress)),
      balance: { query: sm2.balanceQuery(sm2.aliceAddress), address: sm2.aliceAddress },
    };
    chains['ML-DSA and hybrid validators, SHA-256 chain'] = smallChain('sha256', [
      'ed25519+ml-dsa-44',
      'ml-dsa-65',
      'sm2+ml-dsa-65',
      'ml-dsa-44',
    ]);
  });

  it('is the package export @pujiang/sdk/verify', () => {
    assert.equal(import.meta.resolve('@pujiang/sdk/verify'), pathToFileURL(ENTRY).href);
  });

  it('bundles for the browser with no node: import or require left', () => {
    assert.doesNotMatch(bundle, /(?:from|import|require)\s*\(?\s*["']node:/);
    assert.doesNotMatch(bundle, /["']node:[a-z_/]+["']/);
  });

  it('runs where there is no Buffer, process or require', () => {
    const globals = vm.runInContext(
      // (setImmediate is not among them: RDF canonicalization installs a polyfill on self, as in any page.)
      'JSON.stringify([typeof Buffer, typeof process, typeof require, typeof module, typeof PujiangVerify.verifyHeader])',
      context,
    );
    assert.deepEqual(JSON.parse(globals as string), [
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'function',
    ]);
  });

  it('verifies W3C credentials in the page with the bundled contexts, as Node does', async () => {
    const pair = generateKeyPair('ed25519');
    const multibase = toMultibase(didKeyOfChainKey(pair.publicKey)!);
    const did = `did:key:${multibase}`;
    const credential = await issueCredential({
      credential: {
        '@context': ['https://www.w3.org/ns/credentials/v2', { '@vocab': 'https://customs.example/terms#' }],
        type: ['VerifiableCredential', 'CertificateOfOrigin'],
        issuer: did,
        credentialSubject: { id: 'did:example:exporter', originCountry: 'CN' },
      },
      key: {
        verificationMethod: `${did}#${multibase}`,
        algorithm: 'Ed25519',
        secretKey: pair.secretKey.bytes,
      },
      loader: documentLoader(BUNDLED_CONTEXTS, didResolver({})),
    });
    const tampered = structuredClone(credential) as { credentialSubject: Record<string, unknown> };
    tampered.credentialSubject.originCountry = 'US';
    const unknownContext = {
      ...credential,
      '@context': [...(credential['@context'] as unknown[]), 'https://example.com/v1'],
    };
    // Web Crypto's digests must come back as the page's own ArrayBuffers, which a separate
    // vm realm cannot give; so the bundle runs in this realm, in a scope where Node's globals
    // (Buffer, process, require, module, global, setImmediate) do not exist, as in a page.
    const page = new Function(
      'Buffer',
      'process',
      'require',
      'module',
      'global',
      'setImmediate',
      `const self = globalThis;\n${bundle}\nreturn PujiangVerify;`,
    )();
    const inPage: { verified: boolean; checks: string[]; failed: string | null }[] = [];
    for (const c of JSON.parse(JSON.stringify([credential, tampered, unknownContext]))) {
      const r = await page.verifyCredential(c, {
        contexts: page.BUNDLED_CONTEXTS,
        resolver: page.didResolver({}),
      });
      inPage.push({
        verified: r.verified,
        checks: r.checks.map((x: { check: string }) => x.check),
        failed: r.error ? `${r.error.code}/${r.error.check}` : null,
      });
    }
    assert.deepEqual(
      inPage.map((r: { failed: string | null }) => r.failed),
      [null, 'VC_PROOF/proof', 'VC_UNKNOWN_CONTEXT/context'],
    );
    assert.equal(inPage[0].verified, true);
    const inNode = await nodeVerify.verifyCredential(credential, {
      contexts: nodeVerify.BUNDLED_CONTEXTS,
      resolver: nodeVerify.didResolver({}),
    });
    assert.deepEqual(
      inNode.checks.map((c) => c.check),
      inPage[0].checks,
    );

    // A presentation of it, and an SD-JWT, verify in the page too.
    const holder = generateKeyPair('ed25519');
    const holderMultibase = toMultibase(didKeyOfChainKey(holder.publicKey)!);
    const holderKey = {
      verificationMethod: `did:key:${holderMultibase}#${holderMultibase}`,
      algorithm: 'Ed25519' as const,
      secretKey: holder.secretKey.bytes,
    };
    const vp = await presentCredentials({
      credentials: [credential],
      holderKey,
      challenge: 'c-1',
      domain: 'bank.example',
      loader: documentLoader(BUNDLED_CONTEXTS, didResolver({})),
    });
    const vpReport = await page.verifyPresentation(JSON.parse(JSON.stringify(vp)), {
      contexts: page.BUNDLED_CONTEXTS,
      resolver: page.didResolver({}),
      challenge: 'c-1',
      domain: 'bank.example',
    });
    assert.equal(vpReport.verified, true, vpReport.error?.message);
    const wrongChallenge = await page.verifyPresentation(JSON.parse(JSON.stringify(vp)), {
      contexts: page.BUNDLED_CONTEXTS,
      resolver: page.didResolver({}),
      challenge: 'c-2',
    });
    assert.equal(wrongChallenge.error?.check, 'challenge');
    const sdJwt = await issueSdJwtVc({
      issuerKey: {
        verificationMethod: `${did}#${multibase}`,
        algorithm: 'Ed25519',
        secretKey: pair.secretKey.bytes,
      },
      vct: 'licence',
      claims: { licence: 'L-1', holderName: 'ACME' },
      disclosable: ['licence', 'holderName'],
      holderJwk: publicJwk(holderKey),
    });
    const sdPresentation = await presentSdJwtVc({
      credential: sdJwt,
      disclose: ['licence'],
      holderKey,
      nonce: 'n-1',
      audience: 'https://bank.example',
    });
    const disclosed = await page.verifySdJwtVc(sdPresentation, {
      resolver: page.didResolver({}),
      nonce: 'n-1',
      audience: 'https://bank.example',
    });
    assert.equal(disclosed.claims.licence, 'L-1');
    assert.equal(disclosed.claims.holderName, undefined);
  });

  it('verifies a receipt against the next header (SM2/SM3 chain) as Node does', () => {
    const sm2 = makeChain(['sm2', 'sm2', 'sm2', 'sm2']);
    const input = {
      genesis: genesisToJson(sm2.genesis),
      header: headerResponse(sm2.header5, sm2.cert5),
      next: headerResponse(sm2.header6, sm2.cert6),
      tx: sm2.txResponse(1),
    };
    const check = (V: VerifyApi, a: typeof input) => {
      const genesis = V.parseGenesis(a.genesis);
      const tx = V.verifyTransaction(
        a.tx,
        V.verifyHeader({ genesis, ...a.header }),
        V.verifyHeader({ genesis, ...a.next }),
      );
      return { hash: tx.hash, receipt: tx.receipt.txHash };
    };
    context.input = JSON.stringify(input);
    const json = vm.runInContext(
      `JSON.stringify((${check.toString()})(PujiangVerify, JSON.parse(input)))`,
      context,
    );
    const fromBrowser = JSON.parse(json as string);
    assert.deepEqual(fromBrowser, { hash: input.tx.hash, receipt: input.tx.hash });
    assert.deepEqual(fromBrowser, check(nodeVerify, clone(input)));
  });

  it('checks a notary receipt (document, batch path, SM2-signed anchor) as Node does; a changed document fails', () => {
    const sm2 = makeChain(['sm2', 'sm2', 'sm2', 'sm2']);
    const docs = ['bill of lading', 'invoice', 'packing list'].map((t) => new TextEncoder().encode(t));
    const batch = new NotaryBatch(
      'sm3',
      docs.map((d) => ({ algorithm: 'sm3' as const, digest: digestDocument('sm3', d) })),
    );
    const built = buildTransaction({
      chainId: CHAIN_ID,
      chainHash: 'sm3',
      key: generateKeyPair('sm2'),
      nonce: 0n,
      expiresAtHeight: 100n,
      module: 'notary',
      type: 'anchor',
      payload: encode(NotaryAnchor, {
        root: batch.root,
        count: batch.size,
        algorithm: 'sm3',
        owner: 'customs',
        docType: 'trade',
        tags: [],
        ref: '',
      }),
    });
    const [, receipt] = pendingNotaryReceipts({
      chainId: CHAIN_ID,
      batch,
      txHash: built.hash,
      txRaw: built.wire,
    });
    const input = { genesis: genesisToJson(sm2.genesis), receipt, content: Array.from(docs[1]!) };
    const check = (V: VerifyApi, a: typeof input) => {
      const run = (content: number[]) => {
        try {
          return V.verifyNotaryReceipt({
            receipt: a.receipt,
            trust: { genesis: V.parseGenesis(a.genesis) },
            content: Uint8Array.from(content),
          });
        } catch (error) {
          return { failed: (error as { check?: string }).check ?? String(error) };
        }
      };
      return { right: run(a.content), wrong: run([...a.content, 0]) };
    };
    context.input = JSON.stringify(input);
    const json = vm.runInContext(
      `JSON.stringify((${check.toString()})(PujiangVerify, JSON.parse(input)))`,
      context,
    );
    const fromBrowser = JSON.parse(json as string);
    assert.equal(fromBrowser.right.status, 'pending', JSON.stringify(fromBrowser));
    assert.equal(fromBrowser.right.owner, 'customs');
    assert.deepEqual(fromBrowser.wrong, { failed: 'document-digest' });
    assert.deepEqual(fromBrowser, JSON.parse(JSON.stringify(check(nodeVerify, clone(input)))));
  });

  for (const name of [
    'Ed25519 validators, SHA-256 chain',
    'SM2 validators, SM3 chain',
    'ML-DSA and hybrid validators, SHA-256 chain',
  ]) {
    describe(name, () => {
      it('verifies the certified header and the committed transaction as Node does', () => {
        const input = chains[name]!;
        const fromBrowser = inBrowser(verifyAll, input) as Record<string, unknown>;
        assert.deepEqual(fromBrowser, inNode(verifyAll, input));
        assert.equal(fromBrowser.hash, input.header.hash);
        assert.equal((fromBrowser.tx as { hash: string }).hash, input.tx.hash);
        if (input.balance) assert.equal(fromBrowser.balance, '1000');
      });

      for (const t of TAMPERINGS) {
        it(`fails ${t.check} on ${t.what}`, () => {
          const input = clone(chains[name]!);
          t.tamper(input);
          const failure = inBrowser(failureOf, input);
          assert.deepEqual(failure, {
            threw: true,
            verificationError: true,
            name: 'VerificationError',
            code: 'SDK_VERIFICATION_FAILED',
            check: t.check,
            detailsCheck: t.check,
          });
          assert.deepEqual(inNode(failureOf, input), failure);
        });
      }
    });
  }
});
