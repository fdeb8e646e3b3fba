import { bool, decode, type Infer, list, string, struct } from '@pujiang/codec';
import { moduleParamKey } from '@pujiang/protocol';
import { xchainError } from './errors.js';
import { CLIENT_ID } from './formats.js';

/**
 * The layered multi-chain's registry, on the main chain: the sector chains governance has
 * registered, each by the client that follows it (their checkpoints are that client's
 * headers), and whether governance froze it. A frozen sector's client accepts no header,
 * handshake step or packet until governance lifts the freeze. Governance sets the whole list
 * (module parameter `sectors`).
 */
export const SECTORS_PARAM = 'sectors';
export const SECTOR_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export const SectorRecord = struct('XchainSector', {
  name: string({ max: 32 }),
  chainId: string({ max: 64 }),
  clientId: string({ max: 64 }),
  frozen: bool,
});
export type SectorRecord = Infer<typeof SectorRecord>;
export const SectorRegistry = list(SectorRecord, { max: 32 });

export function checkSectors(value: Uint8Array): void {
  let sectors: SectorRecord[];
  try {
    sectors = decode(SectorRegistry, value);
  } catch {
    throw xchainError('XCHAIN_BAD_SECTORS', 'the registry does not decode');
  }
  const names = new Set<string>();
  const clients = new Set<string>();
  for (const s of sectors) {
    if (!SECTOR_NAME.test(s.name) || !CLIENT_ID.test(s.clientId) || s.chainId === '')
      throw xchainError('XCHAIN_BAD_SECTORS', `sector ${s.name} is malformed`, { sector: s.name });
    if (names.has(s.name) || clients.has(s.clientId))
      throw xchainError('XCHAIN_BAD_SECTORS', `sector ${s.name} or its client is listed twice`, {
        sector: s.name,
      });
    names.add(s.name);
    clients.add(s.clientId);
  }
}

export function sectorsOf(read: (key: string) => Uint8Array | undefined): SectorRecord[] {
  const value = read(moduleParamKey(SECTORS_PARAM));
  return value ? decode(SectorRegistry, value) : [];
}

/** Refuses a client governance froze (as a sector), whatever its own state. */
export function checkNotFrozenByGovernance(
  read: (key: string) => Uint8Array | undefined,
  clientId: string,
): void {
  const sector = sectorsOf(read).find((s) => s.clientId === clientId);
  if (sector?.frozen)
    throw xchainError('XCHAIN_CLIENT_FROZEN', `governance froze sector ${sector.name}`, {
      client: clientId,
      sector: sector.name,
      byGovernance: true,
    });
}
