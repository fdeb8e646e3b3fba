import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { homePaths, initLocalNetwork, readKeyFile } from '@pujiang/node';
import {
  accredit,
  addressOf,
  amendDocument,
  createDid,
  didKeyOfChainKey,
  getDocument,
  issueDocument,
  type KeyPair,
  LightClient,
  PujiangClient,
  parseGenesis,
  registerDocument,
  singleKeyDocument,
  transferDocument,
  trustRootsAction,
  verifyDocument,
} from '@pujiang/sdk';
import { EXIT } from '../src/run.js';
import { cliJson } from './cli-json.js';
import { codeOf, voteThrough } from './gov-harness.js';
import { FAST_CONFIG, type NodeProcess, startNodeProcess, until } from './node-harness.js';
import { registerClient } from './run-in-process.js';
import { freeBase } from './up-harness.js';

/**
 * Electronic documents on four agencies' validators (customs, which is the jurisdiction's
 * recognised root, a carrier, a chamber of commerce and a tax bureau) with two enterprises
 * (an exporter and an importer) and the importer's bank as members: a bill of lading issued
 * by the accredited carrier passes through three holders and is surrendered; a second
 * surrender, a former holder's transfer, forged and duplicated copies are refused; a
 * certificate of origin by an issuer not accredited for it fails its accreditation check, and
 * so does a customs declaration by customs (a root, accredited for nothing); an amendment
 * cannot take a held bill from its holder; another member registering a file first blocks
 * nothing; amendment, revocation and a changed file show in verification.
 */
describe('docs: a bill of lading and certificates of origin across four agencies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-docs-'));
  const file = (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  let nodes: NodeProcess[] = [];
  let apis: string[] = [];
  let clients: PujiangClient[] = [];
  let operators: string[] = [];
  let light: LightClient;
  let genesisPath: string;
  let carrierAddress: string;
  /** customs, carrier, chamber, tax: each agency's DID, controlled by its operator's key. */
  const dids: string[] = [];
  const keys: Record<'exporter' | 'bank' | 'importer', string> = { exporter: '', bank: '', importer: '' };
  const address: Record<string, string> = {};
  let billId: string;
  let billPath: string;
  const billPdf = `%PDF-1.7 bill of lading COSU-6312345670 ${Math.random()}`;

  const cli = (node = 0) => cliJson(apis[node]);
  const operatorKey = (i: number): KeyPair => readKeyFile(operators[i]!);
  /** Proven state commits to the block before its header: wait until `height` is provable. */
  const provable = async (height: number | bigint | undefined) => {
    await until(async () => ((await clients[0]!.getStatus()).height > Number(height) ? true : undefined));
  };
  const verify = async (credential: unknown, bytes?: Uint8Array) =>
    verifyDocument(light, { credential, ...(bytes ? { file: bytes } : {}) });
  const failedChecks = (report: Awaited<ReturnType<typeof verify>>) =>
    report.checks.filter((c) => !c.verified).map((c) => [c.check, c.code]);

  before(async () => {
    const base = await freeBase(4);
    const network = initLocalNetwork({
      dir,
      nodes: 4,
      basePort: base,
      suite: 'ed25519',
      emptyBlockIntervalMs: 0,
    });
    const homes = network.nodes.map((n) => n.home);
    for (const home of homes) {
      const path = join(home, 'config.json');
      writeFileSync(
        path,
        JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), timeouts: FAST_CONFIG.timeouts }),
      );
    }
    nodes = await Promise.all(homes.map((home) => startNodeProcess(home)));
    apis = nodes.map((n) => n.api);
    clients = apis.map((api) => new PujiangClient(api));
    operators = homes.map((home) => homePaths(home).operatorKey);
    genesisPath = homePaths(homes[0]!).genesis;
    const genesis = parseGenesis(JSON.parse(readFileSync(genesisPath, 'utf8')));
    light = new LightClient({ client: clients[0]!, genesis });
    await until(async () => {
      const peers = await Promise.all(clients.map(async (c) => (await c.getStatus()).peers));
      return peers.every((p) => p === 3) ? true : undefined;
    });
    // Each agency's DID, by its own operator on its own node.
    for (let i = 0; i < 4; i++) {
      const key = operatorKey(i);
      const created = await createDid(clients[i]!, {
        key,
        wait: true,
        document: singleKeyDocument(didKeyOfChainKey(key.publicKey)!),
      });
      dids.push(created.did);
    }
    // The enterprises and the bank: client identities of the chamber's, the tax bureau's and the carrier's organizations.
    keys.exporter = await registerClient(homes[2]!, apis[2]!, dir, 'ed25519', 'exporter');
    keys.importer = await registerClient(homes[3]!, apis[3]!, dir, 'ed25519', 'importer');
    keys.bank = await registerClient(homes[1]!, apis[1]!, dir, 'ed25519', 'bank');
    for (const [name, path] of Object.entries(keys))
      address[name] = addressOf(genesis.chainHash, readKeyFile(path));
    carrierAddress = addressOf(genesis.chainHash, operatorKey(1));
    // Customs is recognised as the root for CN by a vote of three organizations of four...
    await voteThrough(
      clients,
      [0, 1, 2, 3].map(operatorKey),
      [1, 2],
      'customs is the CN root',
      trustRootsAction([{ jurisdiction: 'CN', root: dids[0]! }]),
    );
    // ...and accredits each agency for its own document type only.
    for (const [i, type] of [
      [1, 'BillOfLading'],
      [2, 'CertificateOfOrigin'],
      [3, 'TaxClearanceCertificate'],
    ] as const) {
      const done = accredit(clients[0]!, {
        key: operatorKey(0),
        wait: true,
        accreditor: dids[0]!,
        subject: dids[i]!,
        role: 'issuer',
        credentialTypes: [type],
        jurisdictions: ['CN'],
      });
      assert.equal(await codeOf(done), 'OK');
    }
  });
  after(async () => {
    for (const node of nodes)
      if (node.child.exitCode === null) {
        node.child.kill('SIGTERM');
        await node.exited;
      }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the carrier issues a bill of lading (pujiang doc issue); it verifies, its file notarized', async () => {
    billPath = join(dir, 'bill.json');
    const issued = await cli(1)(
      'doc',
      'issue',
      '--type',
      'BillOfLading',
      '--issuer-did',
      dids[1]!,
      '--key',
      operators[1]!,
      '--subject',
      `${dids[2]!}`,
      '--number',
      'COSU-6312345670',
      '--file',
      file('bill.pdf', billPdf),
      '--media-type',
      'application/pdf',
      '--claims',
      JSON.stringify({ portOfLoading: 'CNSHA', portOfDischarge: 'NLRTM', goods: { containers: 2 } }),
      '--holder',
      address.exporter!,
      '--out',
      billPath,
    );
    assert.equal(issued.code, EXIT.ok, issued.err);
    billId = issued.json.id;
    await provable(issued.json.registered.height);
    const verified = await cli(0)(
      'doc',
      'verify',
      billPath,
      '--file',
      join(dir, 'bill.pdf'),
      '--genesis',
      genesisPath,
      '--json',
    );
    assert.equal(verified.code, EXIT.ok, verified.out);
    assert.deepEqual(
      verified.json.checks.map((c: { check: string; verified: boolean }) => [c.check, c.verified]),
      ['credential', 'accreditation', 'registry', 'status', 'file', 'notarized'].map((c) => [c, true]),
    );
    assert.equal(verified.json.holder, address.exporter);
    // `pujiang notary` finds the file's anchor: the carrier's DID owns it, the document is its reference.
    const record = await getDocument(clients[0]!, billId);
    const anchor = await cli(0)('notary', 'show', record!.anchorRoot!);
    assert.equal(anchor.code, EXIT.ok, anchor.err);
    assert.deepEqual(
      [anchor.json.anchor.owner, anchor.json.anchor.docType, anchor.json.anchor.ref],
      [dids[1], 'BillOfLading', billId],
    );
  });

  it('passes through three holders and is surrendered; a former holder and a second surrender are refused', async () => {
    const toBank = await cli(2)('doc', 'transfer', billId, '--to', address.bank!, '--key', keys.exporter);
    assert.equal(toBank.code, EXIT.ok, toBank.err);
    assert.equal(
      await codeOf(
        transferDocument(clients[1]!, {
          key: readKeyFile(keys.bank),
          wait: true,
          id: billId,
          to: address.importer!,
        }),
      ),
      'OK',
    );
    // The exporter held it once: it controls nothing now.
    const former = await cli(2)('doc', 'transfer', billId, '--to', address.exporter!, '--key', keys.exporter);
    assert.equal(former.code, EXIT.invalid);
    assert.equal(former.json.receipt.code, 'DOCS_NOT_HOLDER');
    const surrendered = await cli(3)('doc', 'surrender', billId, '--key', keys.importer);
    assert.equal(surrendered.code, EXIT.ok, surrendered.err);
    const again = await cli(3)('doc', 'surrender', billId, '--key', keys.importer);
    assert.equal(again.json.receipt.code, 'DOCS_SURRENDERED');
    assert.equal(
      await codeOf(
        transferDocument(clients[3]!, {
          key: readKeyFile(keys.importer),
          wait: true,
          id: billId,
          to: address.bank!,
        }),
      ),
      'DOCS_SURRENDERED',
    );
    await provable(surrendered.json.height);
    const report = await verify(JSON.parse(readFileSync(billPath, 'utf8')));
    assert.deepEqual(failedChecks(report), [['status', 'DOCS_SURRENDERED']]);
    assert.deepEqual(
      report.holders?.map((h) => h.holder),
      [address.exporter, address.bank, address.importer],
    );
    const shown = await cli(0)('doc', 'show', billId, '--holders');
    assert.deepEqual([shown.json.document.status, shown.json.total], ['surrendered', 3]);
  });

  it('forged and duplicated bills are refused: an edited copy, a second credential for the number, a second registration', async () => {
    const original = JSON.parse(readFileSync(billPath, 'utf8'));
    const edited = structuredClone(original);
    edited.credentialSubject.portOfDischarge = 'USLAX';
    const forged = await verify(edited);
    assert.deepEqual(forged.checks.find((c) => c.check === 'credential')?.code, 'VC_PROOF');
    assert.equal(forged.verified, false);
    const carrier = operatorKey(1);
    // The same number registered again, or another number on the same file: duplicates.
    const again = (number: string, fileDigest?: string) =>
      codeOf(
        registerDocument(clients[1]!, {
          key: carrier,
          wait: true,
          type: 'BillOfLading',
          issuer: dids[1]!,
          subject: dids[2]!,
          number,
          credentialDigest: '22'.repeat(32),
          holder: address.importer!,
          ...(fileDigest ? { fileDigest } : {}),
        }),
      );
    assert.equal(await again('COSU-6312345670'), 'DOCS_DUPLICATE');
    // `doc issue` of a registered number: refused, and no credential written...
    const issueAgain = (out: string) =>
      cli(1)(
        'doc',
        'issue',
        '--type',
        'BillOfLading',
        '--issuer-did',
        dids[1]!,
        '--key',
        operators[1]!,
        '--subject',
        dids[2]!,
        '--number',
        'COSU-6312345670',
        '--holder',
        address.importer!,
        '--out',
        out,
      );
    const refusedPath = join(dir, 'bill-again.json');
    const refusedIssue = await issueAgain(refusedPath);
    assert.equal(refusedIssue.code, EXIT.invalid, refusedIssue.err);
    assert.equal(refusedIssue.json.registered.code, 'DOCS_DUPLICATE');
    assert.equal(existsSync(refusedPath), false, 'a refused registration writes no credential');
    // ...nor over the genuine one: refused before anything is signed or sent.
    const over = await issueAgain(billPath);
    assert.equal(over.code, EXIT.badInput, over.out);
    assert.deepEqual(JSON.parse(readFileSync(billPath, 'utf8')), original);
    const record = await getDocument(clients[0]!, billId);
    assert.equal(await again('COSU-6312345671', record!.fileDigest!), 'DOCS_DUPLICATE');
    // A second credential the carrier signs for the registered number is not the registered one.
    const second = await issueDocument(clients[1]!, {
      key: carrier,
      issuer: dids[1]!,
      type: 'BillOfLading',
      subject: dids[2]!,
      number: 'COSU-6312345670',
      holder: address.importer!,
      wait: true,
      throwOnFailure: false,
    });
    assert.equal(second.registered.result.receipt?.code, 'DOCS_DUPLICATE');
    await provable(second.registered.result.height);
    const duplicate = await verify(second.credential);
    assert.ok(
      failedChecks(duplicate).some(
        ([check, code]) => check === 'registry' && code === 'DOCS_CREDENTIAL_MISMATCH',
      ),
      JSON.stringify(duplicate.checks),
    );
    // Someone else cannot register for the carrier's DID.
    assert.equal(
      await codeOf(
        registerDocument(clients[3]!, {
          key: readKeyFile(keys.importer),
          wait: true,
          type: 'BillOfLading',
          issuer: dids[1]!,
          number: 'FAKE-1',
          credentialDigest: '33'.repeat(32),
          holder: address.importer!,
        }),
      ),
      'DOCS_NOT_ISSUER',
    );
  });

  it('a certificate of origin by an issuer not accredited for it fails its accreditation check; the chamber’s passes', async () => {
    const origin = (i: number, number: string, content: string) =>
      issueDocument(clients[i]!, {
        key: operatorKey(i),
        issuer: dids[i]!,
        type: 'CertificateOfOrigin',
        subject: dids[2]!,
        number,
        claims: { originCountry: 'CN', hsCode: '8471.30' },
        file: new TextEncoder().encode(content),
        mediaType: 'application/pdf',
        wait: true,
      });
    const byCarrier = await origin(1, 'CO-CARRIER-1', 'certificate by the carrier');
    const byChamber = await origin(2, 'CCPIT-2026-0001', 'certificate by the chamber');
    await provable(byChamber.registered.result.height);
    assert.deepEqual(failedChecks(await verify(byCarrier.credential)), [
      ['accreditation', 'VC_ACCREDITATION_SCOPE'],
    ]);
    const good = await verify(byChamber.credential, new TextEncoder().encode('certificate by the chamber'));
    assert.equal(good.verified, true, JSON.stringify(good.checks));
    assert.deepEqual(good.accreditation?.chain, [dids[0], dids[2]]);
    // The tax bureau's own type verifies too (no file attached).
    const tax = await issueDocument(clients[3]!, {
      key: operatorKey(3),
      issuer: dids[3]!,
      type: 'TaxClearanceCertificate',
      subject: dids[2]!,
      number: 'TAX-2026-77',
      claims: { taxYear: 2025, clear: true },
      wait: true,
    });
    await provable(tax.registered.result.height);
    assert.equal((await verify(tax.credential)).verified, true);
  });

  it('a file stamped before keeps its anchor; a changed file, an amendment and a revocation show in verification', async () => {
    const pdf = new TextEncoder().encode('certificate CCPIT-2026-0002 v1');
    const issue = (number: string, bytes: Uint8Array) =>
      issueDocument(clients[2]!, {
        key: operatorKey(2),
        issuer: dids[2]!,
        type: 'CertificateOfOrigin',
        subject: dids[2]!,
        number,
        claims: { originCountry: 'CN' },
        file: bytes,
        wait: true,
      });
    // The chamber stamped the file with `pujiang notary` before: registration accepts that anchor.
    const stamped = await cli(2)(
      'notary',
      'stamp',
      file('ccpit-0002.pdf', pdf),
      '--hash',
      'sha256',
      '--key',
      operators[2]!,
      '--out',
      dir,
    );
    assert.equal(stamped.code, EXIT.ok, stamped.err);
    // The tax bureau saw the PDF and registers its digest under its own DID first: that blocks
    // nothing of the chamber's (files are indexed per issuer).
    const squat = await registerDocument(clients[3]!, {
      key: operatorKey(3),
      wait: true,
      type: 'TaxClearanceCertificate',
      issuer: dids[3]!,
      number: 'SQUAT-CCPIT-0002',
      credentialDigest: '44'.repeat(32),
      fileDigest: createHash('sha256').update(pdf).digest('hex'),
    });
    assert.equal(squat.result.receipt?.code, 'OK');
    const first = await issue('CCPIT-2026-0002', pdf);
    assert.equal(first.registered.result.receipt?.code, 'OK');
    // Registered through another agency's node: read on node 0 once it has the block.
    const firstRecord = await until(() => getDocument(clients[0]!, first.id).then((d) => d ?? undefined));
    assert.equal(firstRecord.anchorRoot, stamped.json.root);
    await provable(first.registered.result.height);
    assert.equal((await verify(first.credential, pdf)).verified, true);
    const changed = new Uint8Array(pdf);
    changed[changed.length - 1] = 0x32;
    assert.deepEqual(failedChecks(await verify(first.credential, changed)), [['file', 'DOCS_FILE_MISMATCH']]);
    const amended = await issue('CCPIT-2026-0002-A1', changed);
    const amend = await amendDocument(clients[2]!, {
      key: operatorKey(2),
      wait: true,
      id: first.id,
      newId: amended.id,
    });
    await provable(amend.result.height);
    assert.deepEqual(failedChecks(await verify(first.credential)), [['status', 'DOCS_SUPERSEDED']]);
    assert.equal((await verify(amended.credential, changed)).verified, true);
    const revoked = await cli(2)('doc', 'status', amended.id, '--set', 'revoked', '--key', operators[2]!);
    assert.equal(revoked.code, EXIT.ok, revoked.err);
    await provable(revoked.json.height);
    const amendedPath = file('amended.json', JSON.stringify(amended.credential));
    const refused = await cli(0)('doc', 'verify', amendedPath, '--genesis', genesisPath, '--json');
    assert.equal(refused.code, EXIT.invalid);
    assert.deepEqual([refused.json.error.check, refused.json.error.code], ['status', 'DOCS_REVOKED']);
    const reinstate = await cli(2)('doc', 'status', amended.id, '--set', 'active', '--key', operators[2]!);
    assert.equal(reinstate.json.receipt.code, 'DOCS_REVOKED', 'a revocation is final');
  });

  it('customs, the CN root, is no issuer of a type it is not accredited for: its customs declaration fails accreditation', async () => {
    const declaration = await issueDocument(clients[0]!, {
      key: operatorKey(0),
      issuer: dids[0]!,
      type: 'CustomsDeclaration',
      subject: dids[2]!,
      number: 'CD-2026-0001',
      claims: { hsCode: '8471.30' },
      wait: true,
    });
    assert.equal(declaration.registered.result.receipt?.code, 'OK');
    await provable(declaration.registered.result.height);
    const report = await verify(declaration.credential);
    assert.deepEqual(failedChecks(report), [['accreditation', 'DOCS_NOT_ACCREDITED_FOR_TYPE']]);
    assert.equal(report.verified, false);
  });

  it('an amendment cannot take a held bill from its holder; with the same holder, endorsed by it, it can', async () => {
    const carrier = operatorKey(1);
    const register = (number: string, holder: string) =>
      registerDocument(clients[1]!, {
        key: carrier,
        wait: true,
        type: 'BillOfLading',
        issuer: dids[1]!,
        subject: dids[2]!,
        number,
        credentialDigest: createHash('sha256').update(number).digest('hex'),
        holder,
      });
    const held = await register('AMEND-1', address.exporter!);
    assert.equal(held.result.receipt?.code, 'OK');
    const toBank = transferDocument(clients[2]!, {
      key: readKeyFile(keys.exporter),
      wait: true,
      id: held.id,
      to: address.bank!,
    });
    assert.equal(await codeOf(toBank), 'OK');
    // The carrier registers a bill held by itself and amends the bank's with it: refused.
    const own = await register('AMEND-2', carrierAddress);
    assert.equal(own.result.receipt?.code, 'OK');
    const amend = (newId: string, endorse: boolean) =>
      codeOf(
        amendDocument(clients[1]!, {
          key: carrier,
          wait: true,
          id: held.id,
          newId,
          ...(endorse ? { endorsers: [readKeyFile(keys.bank)] } : {}),
        }),
      );
    assert.equal(await amend(own.id, false), 'DOCS_BAD_AMENDMENT');
    // Held by the bank, but the bank did not sign: refused; endorsed by the bank (pujiang doc amend --holder-key): done.
    const same = await register('AMEND-3', address.bank!);
    assert.equal(same.result.receipt?.code, 'OK');
    assert.equal(await amend(same.id, false), 'DOCS_HOLDER_CONSENT');
    const endorsed = await cli(1)(
      'doc',
      'amend',
      held.id,
      '--new-id',
      same.id,
      '--key',
      operators[1]!,
      '--holder-key',
      keys.bank,
    );
    assert.equal(endorsed.code, EXIT.ok, endorsed.err);
    // Amended through node 1: read on node 0 once it has the block.
    const old = await until(() =>
      getDocument(clients[0]!, held.id).then((d) => (d?.status === 'superseded' ? d : undefined)),
    );
    assert.deepEqual([old.status, old.supersededBy], ['superseded', same.id]);
    assert.equal((await getDocument(clients[0]!, same.id))!.holder, address.bank);
  });
});
