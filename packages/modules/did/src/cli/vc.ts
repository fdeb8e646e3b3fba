import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type CommandContext,
  type CommandIo,
  EXIT,
  intOption,
  nodeUrl,
  printJson,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import { createStatusList, setCredentialStatus, verifiedChainLookup } from '../client/index.js';
import { BUNDLED_CONTEXTS } from '../credentials/contexts.js';
import type { JsonObject } from '../credentials/data-model.js';
import { documentLoader } from '../credentials/loader.js';
import { presentCredentials, verifyPresentation } from '../credentials/presentations.js';
import { didResolver } from '../credentials/resolvers.js';
import type { IssuerKey } from '../credentials/signers.js';
import { type VerificationReport, verifyCredential } from '../credentials/verify.js';
import { didKeyOfChainKey, toMultibase } from '../keys.js';
import { MAX_STATUS_LIST_BITS, MIN_STATUS_LIST_BITS } from '../status-formats.js';

export const VC_USAGE = `Verifiable credentials (W3C VC 2.0, Data Integrity proofs):
pujiang vc issue --credential FILE --token T [--node URL] [--out FILE]
  asks the node's VC-API to sign (with an issuer key it holds) and anchor the credential; exit 0 issued, 1 refused
pujiang vc verify FILE [--genesis GENESIS] [--node URL]
  verifies a credential; did:pujiang issuers' keys and anchors come from state proven against the pinned
  genesis (default ./genesis.json): the node is trusted for nothing; exit 0 valid, 1 invalid (names the check)
pujiang vc present FILE... --key KEYFILE --challenge C [--domain D] [--holder DIDURL] [--out FILE]
  signs a presentation of the credentials for one verifier (holder: the key's did:key unless --holder names
  its verification method)
pujiang vc verify-presentation FILE --challenge C [--domain D] [--genesis GENESIS] [--node URL]
  exit 0 valid, 1 invalid (names the check), 2 bad input
pujiang vc status-list create --list ID --issuer DID --purpose revocation|suspension [--size BITS] --key FILE
  a Bitstring Status List on chain (131,072 bits by default), owned by a DID the key controls
pujiang vc revoke|suspend|reinstate FILE --key FILE [--node URL]
  revokes (for good), suspends, or lifts a suspension of the credential; the key controls the issuer
pujiang vc status FILE [--genesis GENESIS] [--node URL]
  checks the credential, its status included, trusting no node; exit 0 active and valid, 1 otherwise`;

const OPTIONS = {
  ...SEND_OPTIONS,
  list: { type: 'string' },
  issuer: { type: 'string' },
  purpose: { type: 'string' },
  size: { type: 'string' },
  credential: { type: 'string' },
  token: { type: 'string' },
  out: { type: 'string' },
  genesis: { type: 'string' },
  key: { type: 'string' },
  holder: { type: 'string' },
  challenge: { type: 'string' },
  domain: { type: 'string' },
} as const;

/** The parsed options (strings, and the boolean --no-wait). */
type Values = Record<string, string | boolean | undefined> & {
  node?: string;
  api?: string;
  out?: string;
  genesis?: string;
  holder?: string;
  domain?: string;
};

function readJson(path: string, option: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${path}: ${(error as Error).message}`, { option });
  }
  try {
    return JSON.parse(text) as JsonObject;
  } catch {
    throw usageError(`${path} is not JSON`, { option });
  }
}

function output(io: CommandIo, value: unknown, path: string | undefined): void {
  if (path) writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  else printJson(io, value);
}

function report(io: CommandIo, result: VerificationReport): number {
  printJson(io, {
    verified: result.verified,
    checks: result.checks,
    ...(result.issuance ? { issuance: result.issuance } : {}),
    ...(result.error
      ? { error: { code: result.error.code, check: result.error.check, message: result.error.message } }
      : {}),
  });
  if (result.verified) return EXIT.ok;
  io.err(`invalid (${result.error?.check}): ${result.error?.message}`);
  return EXIT.invalid;
}

async function issue(values: Values, ctx: CommandContext): Promise<number> {
  const credential = readJson(required(values, 'credential'), 'credential');
  const token = required(values, 'token');
  const res = await fetch(`${nodeUrl(values)}/credentials/issue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ credential }),
  }).catch((error: Error) => {
    throw usageError(`cannot reach the node: ${error.message}`, { option: 'node' });
  });
  const body = (await res.json().catch(() => ({}))) as JsonObject;
  if (res.status !== 201) {
    printJson(ctx.io, body);
    ctx.io.err(`refused ${String(body.code ?? res.status)}: ${String(body.detail ?? '')}`);
    return EXIT.invalid;
  }
  output(ctx.io, body.verifiableCredential, values.out);
  return EXIT.ok;
}

function verifierOptions(values: Values, ctx: CommandContext) {
  const chain = verifiedChainLookup(ctx.verifiedClient(values, values.genesis ?? 'genesis.json'));
  return { contexts: BUNDLED_CONTEXTS, resolver: didResolver({ chain }), chain };
}

function holderKeyOf(values: Values, ctx: CommandContext): IssuerKey {
  const pair = ctx.readKey(required(values, 'key'));
  const key = didKeyOfChainKey(pair.publicKey);
  if (!key || (key.algorithm !== 'Ed25519' && key.algorithm !== 'SM2'))
    throw usageError('the holder key must be ed25519 or sm2', { option: 'key' });
  const multibase = toMultibase(key);
  return {
    verificationMethod: values.holder ?? `did:key:${multibase}#${multibase}`,
    algorithm: key.algorithm,
    secretKey: pair.secretKey.bytes,
  };
}

/** `pujiang vc issue | verify | present | verify-presentation`. */
export async function runVc(args: readonly string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  switch (sub) {
    case 'issue':
      return issue(values, ctx);
    case 'verify': {
      if (positionals.length !== 1) throw usageError('name one credential file');
      return report(
        ctx.io,
        await verifyCredential(readJson(positionals[0]!, 'credential'), verifierOptions(values, ctx)),
      );
    }
    case 'present': {
      if (positionals.length === 0) throw usageError('name the credential files to present');
      const presentation = await presentCredentials({
        credentials: positionals.map((p) => readJson(p, 'credential')),
        holderKey: holderKeyOf(values, ctx),
        challenge: required(values, 'challenge'),
        ...(values.domain ? { domain: values.domain } : {}),
        loader: documentLoader(BUNDLED_CONTEXTS, didResolver({})),
      });
      output(ctx.io, presentation, values.out);
      return EXIT.ok;
    }
    case 'verify-presentation': {
      if (positionals.length !== 1) throw usageError('name one presentation file');
      const result = await verifyPresentation(readJson(positionals[0]!, 'presentation'), {
        ...verifierOptions(values, ctx),
        challenge: required(values, 'challenge'),
        ...(values.domain ? { domain: values.domain } : {}),
      });
      return report(ctx.io, result);
    }
    case 'status-list': {
      if (positionals[0] !== 'create') throw usageError('vc status-list create ...');
      const purpose = required(values, 'purpose');
      if (purpose !== 'revocation' && purpose !== 'suspension')
        throw usageError('--purpose is revocation or suspension', { option: 'purpose' });
      const size = intOption(values, 'size', MIN_STATUS_LIST_BITS, MAX_STATUS_LIST_BITS);
      return sendAndReport(ctx.io, waitChoice(values), () =>
        createStatusList(ctx.client(values), {
          key: ctx.readKey(required(values, 'key')),
          list: required(values, 'list'),
          issuer: required(values, 'issuer'),
          purpose,
          ...(size === undefined ? {} : { size }),
          ...waitChoice(values),
        }),
      );
    }
    case 'revoke':
    case 'suspend':
    case 'reinstate': {
      if (positionals.length !== 1) throw usageError('name one credential file');
      const credential = readJson(positionals[0]!, 'credential');
      return sendAndReport(ctx.io, waitChoice(values), () =>
        setCredentialStatus(ctx.client(values), {
          key: ctx.readKey(required(values, 'key')),
          credential,
          value: sub !== 'reinstate',
          // A revocation is final: reinstating lifts a suspension only.
          purpose: sub === 'revoke' ? ('revocation' as const) : ('suspension' as const),
          ...waitChoice(values),
        }),
      );
    }
    case 'status': {
      if (positionals.length !== 1) throw usageError('name one credential file');
      return report(
        ctx.io,
        await verifyCredential(readJson(positionals[0]!, 'credential'), verifierOptions(values, ctx)),
      );
    }
    default:
      throw usageError(`unknown vc command ${sub ?? '(none)'}; see pujiang help vc`);
  }
}
