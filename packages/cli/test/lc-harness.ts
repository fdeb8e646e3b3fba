import assert from 'node:assert/strict';
import { advanceNetworkClock, nodeClock } from '@pujiang/node';
import {
  adviseCredit,
  approveCredit,
  checkCredit,
  createDid,
  didKeyOfChainKey,
  draftCredit,
  issueCredit,
  singleKeyDocument,
} from '@pujiang/sdk';
import { codeOf } from './gov-harness.js';
import { until } from './node-harness.js';
import { civilDate, type ScfNetwork, startOfDay, startScfNetwork } from './scf-harness.js';

/**
 * The letters-of-credit test's network and what it needs besides: China's banking calendars as
 * the genesis carries them, a calendar whose dates the test clock can reach, MT700 texts with
 * the test's dates, credits opened in one call, and moving the network's clock to an instant.
 */
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The Shanghai day number of a civil date (as the lc module numbers days). */
export const dayOfIso = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
/** A Shanghai day's hour as block time (Unix ms). */
export const atHour = (day: number, hour: number): number => startOfDay(day) + hour * HOUR_MS;
/** YYMMDD, as MT700 writes dates. */
export const yymmdd = (day: number): string => civilDate(day).slice(2).replaceAll('-', '');

/**
 * China's official schedules (State Council General Office notices, 国办发明电, for 2025 issued
 * 2024-11-12, for 2026 issued 2025-11-04), in the JSON form the lc module's genesis reads:
 * `holidays` are the closed weekdays of each break, `workdays` the make-up weekend days.
 */
export const CN_2025 = {
  year: 2025,
  holidays: [
    ...['01-01', '01-28', '01-29', '01-30', '01-31', '02-03', '02-04', '04-04', '05-01', '05-02'],
    ...['05-05', '06-02', '10-01', '10-02', '10-03', '10-06', '10-07', '10-08'],
  ].map((d) => `2025-${d}`),
  workdays: ['01-26', '02-08', '04-27', '09-28', '10-11'].map((d) => `2025-${d}`),
};
export const CN_2026 = {
  year: 2026,
  holidays: [
    ...['01-01', '01-02', '02-16', '02-17', '02-18', '02-19', '02-20', '02-23', '04-06', '05-01'],
    ...['05-04', '05-05', '06-19', '09-25', '10-01', '10-02', '10-05', '10-06', '10-07'],
  ].map((d) => `2026-${d}`),
  workdays: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'].map((d) => `2026-${d}`),
};

/** The presentation day of the spec's holiday case: Friday 26 September 2025, Shanghai. */
const FRIDAY_2025 = dayOfIso('2025-09-26');

/**
 * The test clock only moves forward, and a jump of more than two years would expire the
 * identities `init` certified; 2025's autumn is behind any run after it. So the holiday case
 * runs on China's 2025 National Day schedule moved by a whole number of weeks into the first
 * autumn still ahead (every date keeps its weekday, so every count is the same as in 2025): a
 * calendar of its own, `CN-AUTUMN25`, next to the real `CN` years. `friday` is the moved 26
 * September; the test starts its first case eleven days before it (the moved Monday 15
 * September), which must be at least a day ahead of `nowMs`.
 */
export function movedAutumn2025(nowMs: number): {
  calendar: string;
  year: { year: number; holidays: string[]; workdays: string[] };
  friday: number;
} {
  for (let year = new Date(nowMs).getUTCFullYear(); ; year++) {
    const friday = FRIDAY_2025 + 7 * Math.round((dayOfIso(`${year}-09-26`) - FRIDAY_2025) / 7);
    if (startOfDay(friday - 11) < nowMs + DAY_MS) continue;
    const moved = (dates: string[]) =>
      dates.filter((d) => d >= '2025-09-01').map((d) => civilDate(dayOfIso(d) - FRIDAY_2025 + friday));
    return {
      calendar: 'CN-AUTUMN25',
      year: { year, holidays: moved(CN_2025.holidays), workdays: moved(CN_2025.workdays) },
      friday,
    };
  }
}

/** An MT700 (Issue of a Documentary Credit) as an applicant's system would write it, at sight, in CNY. */
export function mt700Text(p: {
  number: string;
  issueDay: number;
  expiryDay: number;
  latestShipmentDay: number;
  /** 32B's amount, decimal comma: `5000,00`. */
  amount: string;
  /** 39A: `5/5`. */
  tolerance?: string;
  partialShipments: 'ALLOWED' | 'NOT ALLOWED';
}): string {
  return [
    '{1:F01PJIBCNSHAXXX0001000001}{2:I700PJABCNSHXXXXN}{4:',
    ':27:1/1',
    ':40A:IRREVOCABLE',
    `:20:${p.number}`,
    `:31C:${yymmdd(p.issueDay)}`,
    ':40E:UCP LATEST VERSION',
    `:31D:${yymmdd(p.expiryDay)}SHANGHAI`,
    ':50:SHANGHAI PUJIANG TRADING CO LTD',
    '88 CENTURY AVENUE PUDONG',
    'SHANGHAI 200120 CHINA',
    ':59:NINGBO PRECISION MACHINES CO LTD',
    '1 HARBOUR ROAD BEILUN',
    'NINGBO 315800 CHINA',
    `:32B:CNY${p.amount}`,
    ...(p.tolerance ? [`:39A:${p.tolerance}`] : []),
    ':41D:ANY BANK IN CHINA',
    'BY PAYMENT',
    `:43P:${p.partialShipments}`,
    ':43T:ALLOWED',
    ':44E:NINGBO PORT, CHINA',
    ':44F:SHANGHAI PORT, CHINA',
    `:44C:${yymmdd(p.latestShipmentDay)}`,
    ':45A:+2 SETS CNC MACHINING CENTRES MODEL NPM-5X',
    ':46A:+SIGNED COMMERCIAL INVOICE IN 3 ORIGINALS',
    '+FULL SET CLEAN ON BOARD BILLS OF LADING',
    '+CERTIFICATE OF ORIGIN ISSUED BY THE CHAMBER OF COMMERCE',
    ':48:21/FROM THE DATE OF SHIPMENT',
    ':49:WITHOUT',
    '-}',
  ].join('\r\n');
}

/** Moves every node's clock so that it reads `timeMs` now, and waits for a block that late. */
export async function moveNetworkTo(net: ScfNetwork, timeMs: number): Promise<void> {
  const nodes = net.nodes.map((n, i) => ({ api: n.api, home: net.homes[i]! }));
  const now = await nodeClock(nodes[0]!);
  if (timeMs <= now.nowMs) throw new Error(`the chain is past ${new Date(timeMs).toISOString()} already`);
  await advanceNetworkClock(nodes, timeMs - now.nowMs);
  await until(async () => ((await nodeClock(nodes[0]!)).lastBlockTimeMs >= timeMs ? true : undefined));
}

/** The lc test's chain: the network, the reachable calendar, and the carrier's DID. */
export interface LcNetwork {
  readonly net: ScfNetwork;
  readonly autumn: ReturnType<typeof movedAutumn2025>;
  /** The carrier (org3's operator) issues bills of lading under this DID. */
  readonly carrierDid: string;
}

/**
 * Four validators with the test clock, one organization each: org0 the applicant (a maker, a
 * checker and an admin approver), org1 the issuing bank (`issuer`, funded for its escrows),
 * org2 the advising bank (its operator advises), org3 the beneficiary (`beneficiary`) and the
 * carrier (its operator). The lc module's banks are org1 and org2; its calendars China's 2025
 * and 2026 (`CN`) and the moved autumn of 2025.
 */
export async function startLcNetwork(dir: string): Promise<LcNetwork> {
  const autumn = movedAutumn2025(Date.now());
  const net = await startScfNetwork({
    dir,
    banks: ['org1', 'org2'],
    people: [
      ['maker', 0],
      ['checker', 0],
      ['approver', 0, 'admin'],
      ['issuer', 1],
      ['beneficiary', 3],
    ],
    funded: [['issuer', 5_000_000]],
    modules: {
      lc: {
        banks: ['org1', 'org2'],
        calendars: { CN: [CN_2025, CN_2026], [autumn.calendar]: [autumn.year] },
      },
    },
  });
  try {
    const carrier = net.operator[3]!;
    const did = await createDid(net.clients[3]!, {
      key: carrier,
      wait: true,
      document: singleKeyDocument(didKeyOfChainKey(carrier.publicKey)!),
    });
    return { net, autumn, carrierDid: did.did };
  } catch (error) {
    await net.stop();
    throw error;
  }
}

/** Drafted by the maker, checked, approved, issued by the bank under `number`, advised: the credit's id. */
export async function openCredit(
  lc: LcNetwork,
  p: { number: string; mt700: string; required: Parameters<typeof draftCredit>[1]['required'] },
): Promise<string> {
  const { clients, key, address, operator } = lc.net;
  const drafted = await draftCredit(clients[0]!, {
    key: key.maker!,
    wait: true,
    mt700: p.mt700,
    issuingOrg: 'org1',
    advisingOrg: 'org2',
    beneficiary: address.beneficiary!,
    calendar: lc.autumn.calendar,
    required: p.required,
  });
  assert.equal(drafted.result.receipt?.code, 'OK');
  const id = drafted.id!;
  assert.equal(await codeOf(checkCredit(clients[0]!, { key: key.checker!, wait: true, id })), 'OK');
  assert.equal(await codeOf(approveCredit(clients[0]!, { key: key.approver!, wait: true, id })), 'OK');
  const number = p.number;
  assert.equal(await codeOf(issueCredit(clients[1]!, { key: key.issuer!, wait: true, id, number })), 'OK');
  assert.equal(await codeOf(adviseCredit(clients[2]!, { key: operator[2]!, wait: true, id })), 'OK');
  return id;
}
