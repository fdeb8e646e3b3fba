import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Codec, encode } from '@pujiang/codec';
import {
  certificateToPem,
  deriveAddress,
  generateKeyPair,
  type KeyPair,
  type SuiteId,
} from '@pujiang/crypto';
import { BankTransfer } from '@pujiang/module-bank';
import type { GovernanceAction, Role } from '@pujiang/module-governance';
import type { ChainModule } from '@pujiang/module-kit';
import { endorseTx, type Genesis, parseGenesis, type Receipt, signTx, type TxBody } from '@pujiang/protocol';
import { SparseMerkleTree } from '@pujiang/state';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { createOrganization, issueMemberCertificate, type OrganizationCa } from '../src/host/organization.js';
import { bank, Executor, governance, toBlockTx } from '../src/index.js';

/** One temporary folder for this process's organization files (CAs write files), removed when it exits. */
let scratchRoot: string | undefined;
export function scratchDir(prefix: string): string {
  if (scratchRoot === undefined) {
    const root = mkdtempSync(join(tmpdir(), 'pujiang-gov-'));
    scratchRoot = root;
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  }
  return mkdtempSync(join(scratchRoot, prefix));
}

/**
 * A consortium in memory for governance tests: organizations with CAs, members with
 * certificates, and an executor over [governance, bank] that runs one block per call.
 */
export const CHAIN = 'gov-test';
const HASH = 'sha256';

export interface Member {
  readonly key: KeyPair;
  readonly org: string;
  readonly role: Role;
  readonly certificate: Uint8Array;
  readonly address: string;
  nonce: bigint;
}

export function consortium(
  p: {
    orgs?: string[];
    suites?: SuiteId[];
    policies?: Record<string, unknown>;
    votingPeriod?: number;
    timelock?: number;
    /** Modules beyond governance and bank (the genesis then names what it enables). */
    extraModules?: readonly ChainModule[];
  } = {},
) {
  const dir = scratchDir('gov-');
  const orgIds = p.orgs ?? ['customs', 'tax', 'bank-a', 'regulator'];
  const cas = new Map<string, OrganizationCa>(
    orgIds.map((id, i) => [
      id,
      createOrganization({ dir: join(dir, id), id, suite: i % 2 === 0 ? 'ed25519' : 'sm2' }),
    ]),
  );
  const member = (org: string, role: Role, suite: SuiteId = 'ed25519'): Member => {
    const key = generateKeyPair(suite);
    const certificate = issueMemberCertificate(cas.get(org)!, {
      publicKey: key.publicKey,
      role,
      commonName: `${org} ${role}`,
    });
    return {
      key,
      org,
      role,
      certificate,
      address: bytesToHex(deriveAddress(HASH, key.publicKey)),
      nonce: 0n,
    };
  };
  const validator = member(orgIds[0]!, 'validator');
  const admins = new Map(orgIds.map((o) => [o, member(o, 'admin')]));
  const regulator = member(orgIds[orgIds.length - 1]!, 'regulator');
  const genesis: Genesis = parseGenesis({
    chainId: CHAIN,
    chainHash: HASH,
    acceptedSuites: p.suites ?? ['ed25519', 'sm2'],
    validators: [
      { name: 'v0', suite: 'ed25519', publicKey: bytesToHex(validator.key.publicKey.bytes), power: 10 },
    ],
    limits: { maxBlockBytes: 1 << 20, maxBlockTxs: 1000, maxBlockGas: 100_000_000 },
    ...(p.extraModules
      ? { enabledModules: ['governance', 'bank', ...p.extraModules.map((m) => m.name)] }
      : {}),
    modules: {
      governance: {
        organizations: orgIds.map((id) => ({
          id,
          caCertificate: certificateToPem(cas.get(id)!.certificate),
        })),
        identities: [validator, ...admins.values(), regulator].map((m) => certificateToPem(m.certificate)),
        ...(p.policies ? { policies: p.policies } : {}),
        votingPeriod: p.votingPeriod ?? 10,
        timelock: p.timelock ?? 3,
      },
      bank: {
        minter: admins.get(orgIds[0]!)!.address,
        balances: { [admins.get(orgIds[0]!)!.address]: '1000000' },
      },
    },
  });
  const tree = new SparseMerkleTree(HASH);
  const executor = Executor.forGenesis(tree, genesis, [governance, bank, ...(p.extraModules ?? [])]);
  let root = executor.genesis(genesis.modules, genesis);
  let height = 0n;
  let time = BigInt(Date.now());

  const body = (m: Member, module: string, type: string, payload: Uint8Array): TxBody => ({
    chainId: CHAIN,
    suite: m.key.suite,
    publicKey: m.key.publicKey.bytes,
    nonce: m.nonce,
    expiresAtHeight: 1_000_000n,
    gasLimit: 10_000_000n,
    module,
    type,
    payload,
  });

  return {
    genesis,
    executor,
    cas,
    member,
    validator,
    admins,
    regulator,
    admin: (org: string) => admins.get(org)!,
    get height() {
      return height;
    },
    get root() {
      return root;
    },
    /** Runs one block holding one transaction of `m`, optionally endorsed; returns its receipt. */
    async send<T>(
      m: Member,
      module: string,
      type: string,
      codec: Codec<T>,
      message: T,
      endorsers: readonly Member[] = [],
    ): Promise<Receipt> {
      const b = body(m, module, type, encode(codec, message));
      const tx = signTx(
        b,
        m.key.secretKey,
        endorsers.map((e) => endorseTx(b, e.key.secretKey)),
      );
      height++;
      time += 1000n;
      const result = await executor.executeBlock(root, height, [toBlockTx(HASH, tx)], undefined, time);
      executor.advance(root, result.root, result.writes);
      root = result.root;
      m.nonce++;
      return result.receipts[0]!;
    },
    /** Runs one block holding a transaction for each item, in order; returns their receipts. */
    async sendBlock(
      items: readonly { m: Member; module: string; type: string; payload: Uint8Array }[],
    ): Promise<Receipt[]> {
      const txs = items.map(({ m, module, type, payload }) => {
        const tx = signTx(body(m, module, type, payload), m.key.secretKey);
        m.nonce++;
        return toBlockTx(HASH, tx);
      });
      height++;
      time += 1000n;
      const result = await executor.executeBlock(root, height, txs, undefined, time);
      executor.advance(root, result.root, result.writes);
      root = result.root;
      return result.receipts;
    },
    /** Empty blocks, to let deadlines and time-locks pass. */
    async skip(blocks: number): Promise<void> {
      for (let i = 0; i < blocks; i++) {
        height++;
        time += 1000n;
        root = (await executor.executeBlock(root, height, [], undefined, time)).root;
      }
    },
    /** The admission check the mempool runs, at the latest state (optionally endorsed). */
    admit(
      m: Member,
      module: string,
      type: string,
      payload: Uint8Array,
      endorsers: readonly Member[] = [],
    ): void {
      const b = body(m, module, type, payload);
      const tx = signTx(
        b,
        m.key.secretKey,
        endorsers.map((e) => endorseTx(b, e.key.secretKey)),
      );
      executor.authorize(root, tx, m.address, height + 1n, time);
    },
    query: (name: string, params: unknown = {}) => executor.query(root, 'governance', name, params),
    queryOf: (module: string, name: string, params: unknown = {}) =>
      executor.query(root, module, name, params),
    transfer: (to: Member, amount: bigint) => ({ to: hexToBytes(to.address), amount }),
    BankTransfer,
  };
}

export type Consortium = ReturnType<typeof consortium>;
export type { GovernanceAction };
