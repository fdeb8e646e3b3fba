import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  anchorIssuance,
  BUNDLED_CONTEXTS,
  didResolver,
  documentLoader,
  issueCredential,
  LightClient,
  loadKeyFile,
  PujiangClient,
  parseGenesis,
  proofDigest,
  verifiedChainLookup,
} from '@pujiang/sdk';
import {
  axeViolations,
  type ConsoleBrowser,
  describeViolations,
  launchConsoleBrowser,
  startConsoleNetwork,
  stopConsoleNetwork,
  VIEWPORTS,
} from './console-harness.js';
import { checkLcPage, checkScfPage, openTradeViews } from './console-trade-pages.js';
import { makeTradeFixtures, TRADE_GENESIS, type TradeFixtures } from './console-trade-setup.js';
import { until } from './node-harness.js';
import { run } from './run-in-process.js';
import type { UpProcess } from './up-harness.js';

/** Where to keep the screenshots for a person to look at (default: the test's folder, removed after). */
const SHOTS = process.env.PUJIANG_CONSOLE_SHOTS;

/** Runs `pujiang` in this process and returns its JSON output (the command must succeed). */
async function cli(...argv: string[]): Promise<any> {
  const r = await run(...argv);
  assert.equal(r.code, 0, `pujiang ${argv.join(' ')}: ${r.err}`);
  return JSON.parse(r.out);
}

/**
 * The organizations and service pages in Debian's Chromium against a 4-validator `pujiang up`
 * network: the organizations with their CAs and members, a member certificate expiring in 10
 * days listed first and highlighted; a DID resolved and proven in the browser; the generic
 * page of a module without its own page running a query with a proof.
 */
describe('web console: organizations and service modules', () => {
  let dir: string;
  let up: UpProcess;
  let api: string;
  let console0: string;
  let browser: ConsoleBrowser;
  let clerk: string;
  let did: string;
  let operator: string;
  let credential: Record<string, unknown>;
  let contract: string;
  let revoked: string;
  let revokedSerial: string;
  let trade: TradeFixtures;

  before(async () => {
    const network = await startConsoleNetwork('pujiang-console-services-', { genesis: TRADE_GENESIS });
    ({ dir, up } = network);
    api = network.nodes[0]!.api;
    console0 = `${api}/console/`;
    const operatorKey = join(dir, 'net', 'node0', 'keys', 'operator.json');
    operator = (await cli('keys', 'show', '--key', operatorKey)).address;
    // A clerk of org1 whose certificate expires in 10 days, registered on chain.
    const key = join(dir, 'clerk.json');
    const cert = join(dir, 'clerk.pem');
    clerk = (await cli('keys', 'generate', '--suite', 'ed25519', '--out', key)).address;
    await cli(
      'cert',
      'issue',
      '--org-dir',
      join(dir, 'net', 'node1', 'org'),
      '--role',
      'client',
      '--key-file',
      key,
      '--name',
      'Short-lived clerk',
      '--days',
      '10',
      '--out',
      cert,
    );
    await cli('register', '--cert', cert, '--key', key, '--node', api);
    // A member of org2 registered, then revoked by org2's administrator: on its CRL.
    const revokedKey = join(dir, 'revoked.json');
    const revokedCert = join(dir, 'revoked.pem');
    revoked = (await cli('keys', 'generate', '--suite', 'ed25519', '--out', revokedKey)).address;
    revokedSerial = (
      await cli(
        'cert',
        'issue',
        '--org-dir',
        join(dir, 'net', 'node2', 'org'),
        '--role',
        'client',
        '--key-file',
        revokedKey,
        '--out',
        revokedCert,
      )
    ).serial;
    await cli('register', '--cert', revokedCert, '--key', revokedKey, '--node', api);
    const org2Admin = join(dir, 'net', 'node2', 'keys', 'operator.json');
    await cli('revoke', '--cert', revokedCert, '--key', org2Admin, '--node', api);
    did = (await cli('did', 'create', '--key', operatorKey, '--node', api)).did;
    // A credential the DID's key signs here, its proof anchored on chain (as the VC-API issues).
    const client = new PujiangClient({ url: api });
    const light = new LightClient({
      client,
      genesis: parseGenesis(await (await fetch(`${api}/v1/genesis`)).json()),
    });
    const operatorPair = loadKeyFile(operatorKey);
    credential = await issueCredential({
      credential: {
        '@context': ['https://www.w3.org/ns/credentials/v2', { '@vocab': 'https://registry.example/terms#' }],
        type: ['VerifiableCredential', 'BusinessLicence'],
        issuer: did,
        validFrom: '2026-01-01T00:00:00Z',
        credentialSubject: { id: 'did:example:enterprise', name: 'Pujiang Tea Co.' },
      },
      key: {
        verificationMethod: `${did}#key-1`,
        algorithm: 'Ed25519',
        secretKey: operatorPair.secretKey.bytes,
      },
      loader: documentLoader(BUNDLED_CONTEXTS, didResolver({ chain: verifiedChainLookup(light) })),
    });
    const digest = Buffer.from(
      proofDigest(String((credential.proof as Record<string, unknown>).proofValue)),
      'hex',
    );
    const anchored = await anchorIssuance(client, { key: operatorPair, wait: true, digests: [digest] });
    assert.equal(anchored.result.receipt?.code, 'OK');
    const anchoredAt = Number(anchored.result.height);
    await until(async () => ((await client.getStatus()).height > anchoredAt ? true : undefined));
    // A contract written in bytecode (no compiler needed): the constructor stores 42 in slot 0,
    // and every call returns 42.
    const artifact = join(dir, 'Answer.json');
    writeFileSync(
      artifact,
      JSON.stringify({
        _format: 'hh-sol-artifact-1',
        contractName: 'Answer',
        sourceName: 'contracts/Answer.sol',
        abi: [],
        bytecode: `0x602a600055600a6011600039600a6000f3${'602a60005260206000f3'}`,
        deployedBytecode: '0x',
        linkReferences: {},
        deployedLinkReferences: {},
      }),
    );
    contract = (await cli('evm', 'deploy', artifact, '--key', operatorKey, '--node', api)).contractAddress
      .slice(2)
      .toLowerCase();
    trade = await makeTradeFixtures(dir, api);
    browser = await launchConsoleBrowser();
  });

  after(async () => {
    await stopConsoleNetwork(browser, up, dir);
  });

  it('lists the organizations, their CAs and members, and the expiring certificate first', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${console0}#/orgs`);
    const orgs = page.getByRole('region', { name: 'Member organizations' });
    await orgs.locator('[data-proof="proven"]').first().waitFor({ timeout: 40_000 });
    for (const id of ['org0', 'org1', 'org2', 'org3']) {
      const org = orgs.locator(`[data-org="${id}"]`);
      assert.match(await org.innerText(), new RegExp(`${id} Root CA`));
      assert.equal(await org.locator('[data-proof="proven"]').count(), 1, `${id}'s CRL is proven`);
    }
    const expiring = page.getByTestId('expiring');
    await expiring.waitFor({ timeout: 40_000 });
    const items = await expiring.locator('li').allInnerTexts();
    assert.equal(items.length, 1, items.join('\n'));
    assert.match(items[0]!, /client \(org1\)/);
    assert.match(items[0]!, /expires in (9|10) days/);
    assert.ok((await expiring.innerHTML()).includes(clerk));
    // In the members' table the clerk comes first, highlighted, proven; every founding member is there.
    const members = page.getByRole('region', { name: 'Members' });
    const rows = members.locator('tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.first().locator(`[data-member="${clerk}"]`).count(), 1);
    assert.equal(await rows.first().locator('[data-expiry="expiring"]').count(), 1);
    assert.equal(await rows.first().locator('[data-proof="proven"]').count(), 1);
    assert.equal(
      await rows.count(),
      11,
      '4 validators, 4 operators, the clerk, the credit approver (console-trade-setup) and the revoked member',
    );
    assert.equal(await members.locator(`[data-member="${operator}"]`).count(), 1);
    assert.equal(await members.locator('[data-expiry="valid"]').count(), 10);
    // The revoked member: on org2's proven CRL, and its identity says so.
    assert.equal(await orgs.getByTestId('crl-org2').locator(`[data-full="${revokedSerial}"]`).count(), 1);
    const revokedRow = rows.filter({ has: page.locator(`[data-member="${revoked}"]`) });
    assert.match(await revokedRow.innerText(), /MEMBER_REVOKED/);
    assert.deepEqual(errors, []);
  });

  it('resolves a DID and proves its document in the browser', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${console0}#/modules/did`);
    await page.getByLabel('DID', { exact: true }).fill(did);
    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    const section = page.getByRole('region', { name: 'Resolve a DID' });
    await section.locator('[data-proof="proven"]').waitFor({ timeout: 40_000 });
    const document = JSON.parse(await page.getByTestId('did-document').innerText());
    assert.equal(document.id, did);
    assert.equal(document.verificationMethod[0].controller, did);
    // A DID that does not exist is refused, not shown.
    await page.getByLabel('DID', { exact: true }).fill(`${did.slice(0, -3)}zzz`);
    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    await section.getByRole('alert').waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId('did-document').count(), 0);
    assert.deepEqual(
      errors.filter((e) => !/404/.test(e)),
      [],
    );
  });

  it('verifies a credential in the browser and refuses an altered one', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${console0}#/modules/did`);
    const section = page.getByRole('region', { name: 'Verify a credential' });
    await page.getByLabel('Credential (JSON)').fill(JSON.stringify(credential));
    await section.getByRole('button', { name: 'Verify', exact: true }).click();
    const verdict = section.locator('[data-verdict]');
    await verdict.waitFor({ timeout: 40_000 });
    assert.equal(await verdict.getAttribute('data-verdict'), 'valid', await verdict.innerText());
    assert.match(await verdict.innerText(), /Issued \(proof first anchored\) at block/);
    const altered = structuredClone(credential) as { credentialSubject: { name: string } };
    altered.credentialSubject.name = 'Another Tea Co.';
    await page.getByLabel('Credential (JSON)').fill(JSON.stringify(altered));
    await section.getByRole('button', { name: 'Verify', exact: true }).click();
    await section.locator('[data-verdict="invalid"]').waitFor({ timeout: 40_000 });
    assert.deepEqual(errors, []);
  });

  it("runs a module's query with a proof on the generic page", async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${console0}#/modules`);
    await page.getByRole('link', { name: 'bank' }).first().click();
    const form = page.locator('[data-query="bank/balance"]');
    await form.getByLabel('address').fill(operator);
    await form.getByRole('button', { name: 'Run balance' }).click();
    // The reads are proven; the answer is bank's function of them, so the badge does not say Proven.
    await form.locator('[data-proof="reads"]').waitFor({ timeout: 40_000 });
    assert.match(
      await form.locator('[data-proof="reads"]').innerText(),
      /Reads proven; the answer is the node's/,
    );
    assert.equal(await form.locator('[data-proof="proven"]').count(), 0);
    const result = JSON.parse(await form.getByTestId('query-result').innerText());
    assert.equal(result.address, operator);
    assert.ok(BigInt(result.balance) > 0n, 'the operator is funded at genesis');
    assert.deepEqual(errors, []);
  });

  it('lists a deployed contract, reads its storage with a proof and calls it through /rpc', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${console0}#/modules/evm`);
    const contracts = page.getByRole('region', { name: 'Contracts' });
    await contracts.locator(`[data-full="${contract}"]`).click({ timeout: 40_000 });
    assert.equal(await page.getByLabel('Contract address (40 hex digits)').inputValue(), contract);
    await page.getByLabel('Storage slot (hex)').fill('0');
    await page.getByRole('button', { name: 'Read the slot (reads proven)' }).click();
    const inspect = page.getByRole('region', { name: 'Inspect a contract' });
    await inspect.locator('[data-proof="reads"]').waitFor({ timeout: 40_000 });
    assert.equal(BigInt(`0x${JSON.parse(await inspect.getByTestId('query-result').innerText()).value}`), 42n);
    await page.getByRole('button', { name: 'eth_call' }).click();
    await inspect.getByTestId('eth-call-result').waitFor({ timeout: 20_000 });
    assert.equal(BigInt(await inspect.getByTestId('eth-call-result').innerText()), 42n);
    assert.deepEqual(errors, []);
  });

  it('finds a receivable by its invoice file, proven with its parts; a free invoice; a credit line', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${console0}#/modules/scf`);
    await checkScfPage(page, trade);
    assert.deepEqual(errors, []);
  });

  it('finds a letter of credit by bank and number, proven with its MT700, amendment and refused presentation; a calendar year', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${console0}#/modules/lc`);
    await checkLcPage(page, trade, dir);
    assert.deepEqual(errors, []);
  });

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`renders the organizations and service pages at ${viewport.width}x${viewport.height} with no console error and no accessibility violation`, async () => {
      const { page, errors } = await browser.open(viewport);
      for (const hash of [
        '#/orgs',
        '#/modules',
        '#/modules/did',
        '#/modules/xchain',
        '#/modules/evm',
        '#/modules/bank',
        '#/modules/scf',
        '#/modules/lc',
      ]) {
        await page.goto(`${console0}${hash}`);
        await page.locator('h1.page-title').waitFor();
        await openTradeViews(page, hash, trade);
        await page.waitForFunction(
          `document.querySelectorAll('[aria-busy="true"], [data-proof="checking"]').length === 0 && !document.querySelector('main').innerText.includes('Loading')`,
          undefined,
          { timeout: 40_000 },
        );
        await page.screenshot({
          path: join(SHOTS ?? dir, `${size}-${hash.replace(/[^a-z0-9]+/gi, '-')}.png`),
          fullPage: true,
        });
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `${hash} at ${size}:\n${describeViolations(violations)}`);
        if (viewport.width < 500) {
          const overflow = (await page.evaluate(
            'document.documentElement.scrollWidth - window.innerWidth',
          )) as number;
          assert.ok(overflow <= 1, `${hash} is ${overflow}px wider than a phone`);
        }
      }
      assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
    });
  }
});
