import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateToPem, generateKeyPair, type KeyPair, type SuiteId } from '@pujiang/crypto';
import type { ChainClient, SendTransactionParameters } from '@pujiang/module-kit';
import { addressHex, createOrganization, issueMemberCertificate } from '@pujiang/node';
import type { GenesisJson } from '@pujiang/protocol';
import {
  adviseCredit,
  approveCredit,
  checkCredit,
  draftCredit,
  getPresentation,
  issueCredit,
  type PujiangClient,
  presentDocuments,
} from '@pujiang/sdk';
import { hexToBytes } from '@pujiang/types';
import type { AppPhase, AppsContext } from './apps-bench.js';
import type { GasMessage } from './apps-sign.js';
import { singleDigestMessage } from './payloads.js';

/**
 * LC presentations examined per second (issue 24), in the apps group. A letter of credit has
 * four parties in four organizations, so the lc phases sign with keys of their own, added to
 * the genesis beside the group's senders: importers (each credit's maker, and two others as
 * its checker and approver), the issuing bank's officers (funded for the escrows), the
 * advising bank's and the exporters (beneficiaries). Setup steps notarize each credit's
 * invoice and packing list and draft the credit from an MT700, then check, approve, issue
 * and advise it; the measured phase presents each credit's two notarized records once, and
 * the module examines them (both anchors looked up, the required kinds, the deadline on the
 * bank's calendar) as it commits the presentation.
 */
const ORGS = ['lc-importers', 'lc-issuing-bank', 'lc-advising-bank', 'lc-exporters'] as const;
const [IMPORTERS, ISSUERS, ADVISERS, EXPORTERS] = [0, 1, 2, 3];
/**
 * Gas limits signed with: the apps group's (the block gas limit is a sum of limits). A draft,
 * which parses its MT700 in execution, uses the most: the record says how much.
 */
const GAS = { draft: 100_000, step: 100_000, anchor: 100_000 } as const;
export const LC_FIGURE = 'lc presentations examined/s';

/** China's published schedules the bench's calendar uses (State Council notices for 2025 and 2026). */
const CN_YEARS: Record<number, { holidays: string[]; workdays: string[] }> = {
  2025: {
    holidays: ['01-01', '01-28', '01-29', '01-30', '01-31', '02-03', '02-04', '04-04', '05-01', '05-02']
      .concat(['05-05', '06-02', '10-01', '10-02', '10-03', '10-06', '10-07', '10-08'])
      .map((d) => `2025-${d}`),
    workdays: ['01-26', '02-08', '04-27', '09-28', '10-11'].map((d) => `2025-${d}`),
  },
  2026: {
    holidays: ['01-01', '01-02', '02-16', '02-17', '02-18', '02-19', '02-20', '02-23', '04-06', '05-01']
      .concat(['05-04', '05-05', '06-19', '09-25', '10-01', '10-02', '10-05', '10-06', '10-07'])
      .map((d) => `2026-${d}`),
    workdays: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'].map((d) => `2026-${d}`),
  },
};

/** Credits per run, and keys per organization (senders spread the nonces as the group's do). */
export const LC_SIZES = {
  quick: { perRole: 32, credits: 2_048 },
  full: { perRole: 64, credits: 16_384 },
} as const;

/** The lc parties: `perRole` keys of each organization, in the order IMPORTERS, ISSUERS, ADVISERS, EXPORTERS. */
export interface LcParties {
  readonly perRole: number;
  readonly keys: readonly KeyPair[];
}

/**
 * Adds the four organizations (CAs made in a scratch folder, removed after) with `perRole`
 * certified clients each, funds them, names the two banks the lc module's, and gives it the
 * `CN` calendar for this year and the next: China's schedule where the bench carries it,
 * weekends only for a year it does not (the count is the same work either way).
 */
export function addLcParties(genesis: GenesisJson, suite: SuiteId, perRole: number): LcParties {
  const scratch = mkdtempSync(join(tmpdir(), 'pujiang-bench-lc-orgs-'));
  try {
    const governance = genesis.modules.governance as {
      organizations: { id: string; name: string; caCertificate: string }[];
      identities: string[];
    };
    const bank = genesis.modules.bank as { balances: Record<string, string> };
    const keys: KeyPair[] = [];
    for (const id of ORGS) {
      const ca = createOrganization({ dir: join(scratch, id), id, suite });
      governance.organizations.push({
        id,
        name: id,
        caCertificate: certificateToPem(ca.certificate),
      });
      for (let k = 0; k < perRole; k++) {
        const key = generateKeyPair(suite);
        bank.balances[addressHex(genesis.chainHash, key)] = String(10n ** 15n);
        const certificate = issueMemberCertificate(ca, {
          publicKey: key.publicKey,
          role: 'client',
          commonName: `${id} ${k}`,
        });
        governance.identities.push(certificateToPem(certificate));
        keys.push(key);
      }
    }
    const year = new Date().getUTCFullYear();
    const calendar = [year, year + 1].map((y) => ({
      year: y,
      ...(CN_YEARS[y] ?? { holidays: [], workdays: [] }),
    }));
    genesis.modules.lc = {
      banks: [ORGS[ISSUERS], ORGS[ADVISERS]],
      calendars: { CN: calendar },
    };
    return { perRole, keys };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `YYMMDD` of a day number. */
const yymmdd = (day: number) => new Date(day * 86_400_000).toISOString().slice(2, 10).replaceAll('-', '');

function mt700(reference: string, today: number): string {
  return [
    '{1:F01PJIBCNSHAXXX0001000001}{2:I700PJABCNSHXXXXN}{4:',
    ':27:1/1',
    ':40A:IRREVOCABLE',
    `:20:${reference}`,
    `:31C:${yymmdd(today)}`,
    ':40E:UCP LATEST VERSION',
    `:31D:${yymmdd(today + 90)}SHANGHAI`,
    ':50:SHANGHAI PUJIANG TRADING CO LTD',
    '88 CENTURY AVENUE PUDONG',
    ':59:NINGBO PRECISION MACHINES CO LTD',
    '1 HARBOUR ROAD BEILUN',
    ':32B:CNY1000,00',
    ':41D:ANY BANK IN CHINA',
    'BY PAYMENT',
    ':43P:NOT ALLOWED',
    `:44C:${yymmdd(today + 60)}`,
    ':45A:+200 SETS BEARINGS MODEL NB-6204',
    ':46A:+SIGNED COMMERCIAL INVOICE IN 3 ORIGINALS',
    '+PACKING LIST IN 2 COPIES',
    ':49:WITHOUT',
    '-}',
  ].join('\r\n');
}

/** The apps group's recorder: the module message an SDK call would send, with its result. */
export type Recorder = <T>(
  gasLimit: number,
  call: (client: ChainClient) => Promise<T>,
) => Promise<{ message: GasMessage; result: T }>;

/**
 * The lc steps over `ctx` (whose keys are the parties' in `addLcParties` order): credit c
 * belongs to importer k = c mod perRole, checked by importer k+1, approved by k+2, issued by
 * officer k, advised by adviser k, presented by exporter k. Credit ids come from the drafts'
 * receipts (the chain derives them from each draft's transaction hash).
 */
export function lcPhases(parties: LcParties, credits: number, record: Recorder): AppPhase[] {
  const n = parties.perRole;
  const ids: string[] = new Array(credits);
  // The measured phase's own load, and the most gas a draft used (filled in once they commit).
  const configuration: Record<string, unknown> = {
    senders: n,
    perSender: credits / n,
    credits,
    recordsPerPresentation: 2,
    draftGasUsed: 0,
  };
  const records = Array.from({ length: credits }, (_, c) =>
    ['invoice', 'packing list'].map((d) =>
      createHash('sha256').update(`${d} ${c} ${Math.random()}`).digest('hex'),
    ),
  );
  /**
   * The messages of one step: for each credit c, in order, `message(c, signer)` from the sender
   * of `role` at (c mod n) + shift; other senders send nothing.
   */
  const perCredit =
    (
      role: number,
      shift: number,
      message: (c: number, signer: KeyPair, ctx: AppsContext) => Promise<GasMessage[]>,
    ) =>
    async (ctx: AppsContext): Promise<GasMessage[][]> => {
      const out: GasMessage[][] = ctx.keys.map(() => []);
      for (let c = 0; c < credits; c++) {
        const sender = role * n + ((c + shift) % n);
        out[sender]!.push(...(await message(c, ctx.keys[sender]!, ctx)));
      }
      return out;
    };
  const sdk = async (gasLimit: number, call: (client: ChainClient) => Promise<unknown>) => [
    (await record(gasLimit, call)).message,
  ];
  const step = (role: number, shift: number, call: typeof checkCredit): AppPhase => ({
    messages: perCredit(role, shift, (c, key) =>
      sdk(GAS.step, (client) => call(client, { key, id: ids[c]! })),
    ),
  });
  const drafts = perCredit(IMPORTERS, 0, (c, key, ctx) =>
    sdk(GAS.draft, (client) =>
      draftCredit(withoutReceipt(client), {
        key,
        mt700: mt700(`PJ-APP-${c}`, ctx.today),
        issuingOrg: ORGS[ISSUERS],
        advisingOrg: ORGS[ADVISERS],
        beneficiary: ctx.addresses[EXPORTERS * n + (c % n)]!,
        calendar: 'CN',
        required: ['CommercialInvoice', 'PackingList'],
      }),
    ),
  );
  const anchors = perCredit(EXPORTERS, 0, async (c, _key, ctx) =>
    records[c]!.map((digest) => ({
      ...singleDigestMessage(ctx.chainHash, hexToBytes(digest)),
      gasLimit: GAS.anchor,
    })),
  );
  return [
    {
      // Exporters notarize their records; importers draft.
      messages: async (ctx) => {
        const [d, a] = [await drafts(ctx), await anchors(ctx)];
        return d.map((own, i) => [...own, ...a[i]!]);
      },
      committed: async (signed, client) => {
        for (let k = 0; k < n; k++) {
          const hashes = signed.hashes.filter((_, i) => signed.sender[i] === IMPORTERS * n + k);
          await Promise.all(
            hashes.map(async (hash, j) => {
              const drafted = await draftedId(client, hash);
              ids[k + j * n] = drafted.id;
              configuration.draftGasUsed = Math.max(configuration.draftGasUsed as number, drafted.gasUsed);
            }),
          );
        }
      },
    },
    step(IMPORTERS, 1, checkCredit),
    step(IMPORTERS, 2, approveCredit),
    {
      messages: perCredit(ISSUERS, 0, (c, key) =>
        sdk(GAS.step, (client) => issueCredit(client, { key, id: ids[c]!, number: `B${c}` })),
      ),
    },
    step(ADVISERS, 0, adviseCredit),
    {
      figure: LC_FIGURE,
      // The exporters present; each credit once, with its two notarized records.
      configuration,
      messages: perCredit(EXPORTERS, 0, (c, key) => {
        const [invoice, packing] = records[c]!;
        return sdk(GAS.step, (client) =>
          presentDocuments(client, {
            key,
            id: ids[c]!,
            amount: 100_000,
            documents: [
              { kind: 'CommercialInvoice', notarized: invoice! },
              { kind: 'PackingList', notarized: packing! },
            ],
          }),
        );
      }),
      // What was measured is the examination of verified records: the first and last comply.
      committed: async (_signed, client) => {
        for (const c of [0, credits - 1]) {
          const p = await getPresentation(client, { id: ids[c]!, seq: 1 });
          if (p?.status !== 'examining' || p.found.length > 0 || p.deadline === null)
            throw new Error(`lc bench: credit ${c}'s presentation is ${JSON.stringify(p)}`);
        }
      },
    },
  ];
}

/** A recorder's answer has no receipt, which `draftCredit` reads its id from: ids come from the commit. */
function withoutReceipt(client: ChainClient): ChainClient {
  const recorder = {
    sendTransaction: async (p: SendTransactionParameters) => ({
      ...(await client.sendTransaction(p)),
      result: {},
    }),
  };
  return recorder as unknown as ChainClient;
}

async function draftedId(client: PujiangClient, hash: string): Promise<{ id: string; gasUsed: number }> {
  const { receipt } = await client.getTx(hash);
  const id = receipt?.events.find((e) => e.module === 'lc' && e.type === 'drafted')?.attributes.id;
  if (!id) throw new Error(`lc bench: draft ${hash} has no drafted event (${receipt?.code})`);
  return { id, gasUsed: receipt!.gasUsed };
}
