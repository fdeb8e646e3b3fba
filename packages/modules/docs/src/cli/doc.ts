import { existsSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CommandContext,
  type CommandIo,
  EXIT,
  printJson,
  readFileOption,
  readJsonOption,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import {
  amendDocument,
  getDocument,
  getDocumentHolders,
  issueDocument,
  setDocumentStatus,
  surrenderDocument,
  transferDocument,
  verifyDocument,
} from '../client/index.js';
import { isDocumentType, SETTABLE_STATUSES, type SettableStatus } from '../formats.js';
import type { DocumentReport } from '../verify/index.js';

export const DOC_USAGE = `Electronic documents and licences (docs/documents.md):
pujiang doc issue --type T --issuer-did DID --key FILE --subject DID --number N [--file PATH] [--media-type M]
    [--claims JSON] [--holder ADDRESS] --out FILE
  signs the document's credential with the agency's key (an assertion method of its DID), anchors the proof
  and registers the document (its file notarized); writes --out (a new file) unless the registration fails; T: CertificateOfOrigin, BillOfLading (needs --holder),
  CustomsDeclaration, TaxClearanceCertificate, ForeignExchangeRegistration, BusinessLicence
pujiang doc verify FILE [--file PATH] [--genesis GENESIS] [--json]
  checks credential, accreditation, registry, status, file and notarized against state proven from the
  pinned genesis (default ./genesis.json); exit 0 valid, 1 invalid (names the failing check)
pujiang doc transfer ID --to ADDRESS --key FILE      the holder hands a transferable document to a member
pujiang doc surrender ID --key FILE                  the holder surrenders it (final)
pujiang doc status ID --set active|suspended|revoked --key FILE   the issuer (revoked is final)
pujiang doc amend ID --new-id ID --key FILE [--holder-key FILE]   the issuer supersedes ID by the registered
  NEW-ID; a transferable document's NEW-ID is held by ID's holder, who endorses (--holder-key)
pujiang doc show ID [--holders]                       the registry's record (and the holders in order)`;

const OPTIONS = {
  ...SEND_OPTIONS,
  type: { type: 'string' },
  'issuer-did': { type: 'string' },
  subject: { type: 'string' },
  number: { type: 'string' },
  file: { type: 'string' },
  'media-type': { type: 'string' },
  claims: { type: 'string' },
  holder: { type: 'string' },
  out: { type: 'string' },
  genesis: { type: 'string' },
  json: { type: 'boolean' },
  to: { type: 'string' },
  set: { type: 'string' },
  'new-id': { type: 'string' },
  holders: { type: 'boolean' },
  'holder-key': { type: 'string' },
} as const;

const readBytes = readFileOption;
const readJson = readJsonOption;

function claimsOption(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(text);
  } catch {
    throw usageError('--claims is a JSON object', { option: 'claims' });
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    throw usageError('--claims is a JSON object', { option: 'claims' });
  return claims as Record<string, unknown>;
}

function report(io: CommandIo, result: DocumentReport, json: boolean): number {
  if (json) printJson(io, result);
  else {
    for (const c of result.checks)
      io.out(`${c.verified ? 'ok  ' : 'FAIL'} ${c.check}${c.verified ? '' : ` ${c.code}: ${c.message}`}`);
    if (result.document)
      io.out(`document ${result.document.id} ${result.document.type} ${result.document.status}`);
    if (result.holder) io.out(`holder ${result.holder} (${result.holders?.length ?? 0} holders so far)`);
  }
  if (result.verified) return EXIT.ok;
  io.err(
    `invalid (${result.error?.check ?? 'registry'}): ${result.error?.code ?? ''} ${result.error?.message ?? ''}`,
  );
  return EXIT.invalid;
}

/** `pujiang doc issue | verify | transfer | surrender | status | amend | show`. */
export async function runDoc(args: readonly string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: [...rest],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const id = () => {
    if (positionals.length !== 1) throw usageError('name one document ID');
    return positionals[0]!;
  };
  const key = () => ctx.readKey(required(values, 'key'));
  const choice = waitChoice(values);
  switch (sub) {
    case 'issue': {
      const type = required(values, 'type');
      if (!isDocumentType(type)) throw usageError(`${type} is not a document type`, { option: 'type' });
      const out = required(values, 'out');
      // Never over a credential already there (a rerun would replace the genuine one).
      if (existsSync(out))
        throw usageError(`${out} exists: the credential is not written over a file`, { option: 'out' });
      const claims = claimsOption(values.claims);
      const issued = await issueDocument(ctx.client(values), {
        key: key(),
        issuer: required(values, 'issuer-did'),
        type,
        subject: required(values, 'subject'),
        number: required(values, 'number'),
        ...(claims ? { claims } : {}),
        ...(values.file ? { file: readBytes(values.file, 'file'), fileName: basename(values.file) } : {}),
        ...(values['media-type'] ? { mediaType: values['media-type'] } : {}),
        ...(values.holder ? { holder: values.holder } : {}),
        ...choice,
      });
      const code = issued.registered.result.receipt?.code;
      // The credential is written once its registration is not refused: OK, or still pending
      // (--no-wait, or a timeout: it may yet commit, and this is its only copy). A refused
      // registration writes nothing. 'wx': a file there (created meanwhile) is never replaced.
      const keep = code === undefined || code === 'OK';
      let written = false;
      let writeError: string | undefined;
      if (keep)
        try {
          writeFileSync(out, `${JSON.stringify(issued.credential, null, 2)}\n`, { flag: 'wx' });
          written = true;
        } catch (error) {
          writeError = (error as Error).message;
        }
      printJson(ctx.io, {
        id: issued.id,
        ...(written ? { out } : {}),
        // Not lost when the file could not be written.
        ...(writeError ? { credential: issued.credential } : {}),
        anchored: { hash: issued.anchored.hash, height: issued.anchored.result.height },
        registered: {
          hash: issued.registered.hash,
          status: issued.registered.result.status,
          height: issued.registered.result.height,
          code: issued.registered.result.receipt?.code,
        },
      });
      if (writeError) {
        ctx.io.err(`cannot write ${out}: ${writeError} (the credential is in the output above)`);
        return EXIT.invalid;
      }
      if (code === undefined) return choice.wait ? EXIT.pending : EXIT.ok;
      if (code !== 'OK') ctx.io.err(`failed ${code}: ${issued.registered.result.receipt?.message ?? ''}`);
      return code === 'OK' ? EXIT.ok : EXIT.invalid;
    }
    case 'verify': {
      if (positionals.length !== 1) throw usageError('name one credential FILE');
      const light = ctx.verifiedClient(values, values.genesis ?? 'genesis.json');
      const result = await verifyDocument(light, {
        credential: readJson(positionals[0]!, 'credential'),
        ...(values.file ? { file: readBytes(values.file, 'file') } : {}),
      });
      return report(ctx.io, result, values.json === true);
    }
    case 'transfer':
      return sendAndReport(ctx.io, choice, () =>
        transferDocument(ctx.client(values), { key: key(), id: id(), to: required(values, 'to'), ...choice }),
      );
    case 'surrender':
      return sendAndReport(ctx.io, choice, () =>
        surrenderDocument(ctx.client(values), { key: key(), id: id(), ...choice }),
      );
    case 'status': {
      const status = required(values, 'set');
      if (!(SETTABLE_STATUSES as readonly string[]).includes(status))
        throw usageError(`--set is one of ${SETTABLE_STATUSES.join(', ')}`, { option: 'set' });
      return sendAndReport(ctx.io, choice, () =>
        setDocumentStatus(ctx.client(values), {
          key: key(),
          id: id(),
          status: status as SettableStatus,
          ...choice,
        }),
      );
    }
    case 'amend':
      return sendAndReport(ctx.io, choice, () =>
        amendDocument(ctx.client(values), {
          key: key(),
          id: id(),
          newId: required(values, 'new-id'),
          ...(values['holder-key'] ? { endorsers: [ctx.readKey(values['holder-key'])] } : {}),
          ...choice,
        }),
      );
    case 'show': {
      const client = ctx.client(values);
      const document = await getDocument(client, id());
      const holders =
        values.holders && document ? await getDocumentHolders(client, { id: document.id }) : undefined;
      printJson(ctx.io, { document, ...(holders ? { holders: holders.holders, total: holders.total } : {}) });
      return document ? EXIT.ok : EXIT.invalid;
    }
    default:
      throw usageError(`unknown doc command ${sub ?? '(none)'}; see pujiang help doc`);
  }
}
