import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { homePaths, writeFileAtomic } from '@pujiang/node';
import { PujiangError } from '@pujiang/types';
import type { LocalNet } from './network.js';

/** The local issuer's record in the network home: what its setup made and how far it got. */

export const ISSUER_FILE = 'market-regulator.json';
/** The issuer DID's key, mode 0600, next to the record. */
export const ISSUER_KEY_FILE = 'market-regulator-issuer.json';
export const ISSUER_JURISDICTION = 'CN-31';
export const LICENCE_TYPE = 'BusinessLicence';

export type OnboardIssuerErrorCode =
  | 'ONBOARD_ISSUER_BUSY'
  | 'ONBOARD_ISSUER_RECORD'
  | 'ONBOARD_ISSUER_ROOT_TAKEN'
  | 'ONBOARD_ISSUER_NOT_APPROVED'
  | 'ONBOARD_ISSUER_NOT_COMMITTED'
  | 'ONBOARD_ISSUER_TIMEOUT';

export const issuerError = (
  code: OnboardIssuerErrorCode,
  message: string,
  details: Record<string, unknown> = {},
) => new PujiangError<OnboardIssuerErrorCode>(code, message, details);

export interface IssuerRecord {
  readonly chainId: string;
  readonly jurisdiction: string;
  /** The CN-31 root: controlled by node0's operator key (`keyFile`); it accredits, never issues. */
  readonly root?: { readonly did: string; readonly keyFile: string };
  /** The proposal that recognises the root. */
  readonly proposal?: string;
  /**
   * The issuer: its own key (`keyFile`, ISSUER_KEY_FILE in the home, mode 0600; registered at
   * `address` as a client of node0's organization), its DID, the root's accreditation of it.
   */
  readonly issuer?: {
    readonly keyFile: string;
    readonly address: string;
    readonly did?: string;
    readonly accreditation?: string;
  };
  readonly status: 'setting-up' | 'ready';
  /** Set when a record of the older layout (the root issued licences itself) was upgraded. */
  readonly upgradedFrom?: 'root-issued';
  readonly setupMs?: number;
}

/**
 * The record, read whole (it is written atomically, so no lock is needed to read it): undefined
 * when there is none or it is another chain's (a network re-created in the same home: its
 * issuer is made again); ONBOARD_ISSUER_RECORD when it cannot be read as one. A record of the
 * older layout (`did`: the root, which issued) comes back as the root alone, still setting up.
 */
export function readIssuerRecord(net: LocalNet): IssuerRecord | undefined {
  const file = join(net.home, ISSUER_FILE);
  if (!existsSync(file)) return undefined;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw issuerError(
      'ONBOARD_ISSUER_RECORD',
      `${file} is unreadable (${(error as Error).message}): remove it to set the issuer up again`,
      {
        file,
      },
    );
  }
  const text = (v: unknown) => typeof v === 'string' && v !== '';
  const bad = () =>
    issuerError(
      'ONBOARD_ISSUER_RECORD',
      `${file} is not a market-regulator record: remove it to set the issuer up again`,
      {
        file,
      },
    );
  if (typeof json !== 'object' || json === null || !text(json.chainId)) throw bad();
  if (json.chainId !== net.chainId) return undefined;
  if (json.root === undefined && text(json.did)) {
    // The older layout: the root DID issued licences itself. Kept as the root; the issuer is still to make.
    return {
      chainId: net.chainId,
      jurisdiction: ISSUER_JURISDICTION,
      root: { did: json.did as string, keyFile: homePaths(net.nodes[0]!.home).operatorKey },
      ...(text(json.proposal) ? { proposal: json.proposal as string } : {}),
      status: 'setting-up',
      upgradedFrom: 'root-issued',
    };
  }
  const root = json.root as IssuerRecord['root'];
  const issuer = json.issuer as IssuerRecord['issuer'];
  if (
    (root !== undefined && (!text(root?.did) || typeof root?.keyFile !== 'string')) ||
    (issuer !== undefined && (!text(issuer?.keyFile) || !text(issuer?.address))) ||
    (json.status !== 'setting-up' && json.status !== 'ready')
  )
    throw bad();
  return json as unknown as IssuerRecord;
}

export function saveIssuerRecord(net: LocalNet, record: IssuerRecord): IssuerRecord {
  writeFileAtomic(join(net.home, ISSUER_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}
