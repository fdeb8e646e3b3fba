import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type NodeInFolder, nodeInFolder } from './node-harness.js';
import { BIN, bash, readmeBlocks } from './readme-harness.js';

/**
 * Blocks not run here, and why: each is run elsewhere or needs more than one machine. A new
 * block must be run here or named here, so no README command goes untested by accident.
 */
const NOT_HERE: Record<string, string> = {
  'Quick start#0':
    'npm install && npm start and npm test: CI runs npm test, and up.test.ts runs `pujiang up`',
  'Quick start#1': 'readme-cli.test.ts runs it against a node',
  'Several validators (three machines)#0':
    'three machines; three-operators.test.ts runs the same commands in three homes',
  'Cross-chain and the layered multi-chain#0': 'up-chains.test.ts runs `pujiang up --chains`',
  'Cross-chain and the layered multi-chain#1':
    'up-chains.test.ts runs it as written against the layout it started',
  'Onboarding an enterprise#0':
    'needs the local network of npm start: onboard.test.ts runs it as written in the folder where `pujiang up` made .pujiang/localnet',
  'Onboarding an enterprise#1': 'onboard.test.ts runs it as written against the same network',
  'Trusted data sharing among agencies#0':
    'four agencies and two enterprises: data-sharing.test.ts runs these commands on their nodes, the service in its own process',
  'Smart contracts (EVM)#0':
    'evm-cli.test.ts runs deploy, send and call against a node; evm-tools.test.ts drives /rpc with ethers, viem and a Hardhat node beside',
  'Web console, security monitoring and history#0':
    'the monitor runs until stopped: monitor-network.test.ts runs `pujiang monitor` (webhook, /alerts, /metrics, the risk report) and `monitor report` against four validators',
  'Web console, security monitoring and history#1':
    'needs a PostgreSQL server: indexer-chain.test.ts starts one and runs `pujiang index` against a node, kill -9 included',
  'Membership and governance#0':
    'a consortium (customs, a fifth node): governance-network.test.ts runs that scenario through the SDK, governance-cli.test.ts these commands',
};

const RUN_HERE = [
  'The `pujiang` command#0',
  'The `pujiang` command#1',
  'Notarization and traceability#0',
  'Notarization and traceability#1',
  'Decentralized identifiers#0',
  'The `pujiang` command#2',
  'Running a node#0',
  'Privacy computing#0',
];

/**
 * The README's other command blocks (crypto, membership and governance, notarization and
 * traceability, DIDs, tokens, running a node), run as written by bash in a node's folder:
 * `./node` is the live node's home, `genesis.json` its genesis, and the files the commands
 * name (contract.pdf...) are there. Placeholders take what earlier commands printed
 * (`<address>`, `<did>`, `<serial>`...). Every line exits 0; `gov finalize` is retried while
 * the time-lock holds (exit 1, GOV_NOT_READY), as its comment says.
 */
describe("the README's command blocks", () => {
  let ctx: NodeInFolder | undefined;
  after(() => ctx?.cleanup());

  it('every sh block is run here or named with the test that runs it', () => {
    const counts = new Map<string, number>();
    const names = readmeBlocks()
      .filter((b) => b.lines.some((l) => /^(npx|npm) /.test(l)))
      .map((b) => {
        const n = counts.get(b.section) ?? 0;
        counts.set(b.section, n + 1);
        return `${b.section}#${n}`;
      });
    assert.deepEqual(
      names.filter((n) => !RUN_HERE.includes(n) && !(n in NOT_HERE)),
      [],
    );
    assert.deepEqual(
      [...RUN_HERE, ...Object.keys(NOT_HERE)].filter((n) => !names.includes(n)),
      [],
      'a block named here is gone from the README',
    );
  });

  it('run as written against a node, each exiting 0', async () => {
    ctx = await nodeInFolder('pujiang-readme-blocks-');
    const { dir, init, node } = ctx;
    symlinkSync(init.home, join(dir, 'node'));
    symlinkSync(join(init.home, 'genesis.json'), join(dir, 'genesis.json'));
    for (const file of ['contract.pdf', 'invoice.pdf', 'manifest.pdf'])
      writeFileSync(join(dir, file), `${file}\n`);
    const run = (line: string) => bash(dir, node.api, line);
    const json = (r: ReturnType<typeof bash>) => JSON.parse(r.stdout);

    // The quick start's part that these blocks build on: alice's key, and tokens for it.
    const alice = json(run('npx pujiang keys generate --suite ed25519 --out alice.json')).address as string;
    assert.equal(
      run(`npx pujiang send --key ./node/keys/operator.json --to ${alice} --amount 100`).status,
      0,
    );
    // A second member whose certificate the membership block revokes (`<serial>`).
    run('npx pujiang keys generate --suite ed25519 --out bob.json');
    const bob = run(
      'npx pujiang cert issue --org-dir ./node/org --role client --key-file bob.json --out bob.pem',
    );
    const values: Record<string, string[]> = {
      address: [alice],
      'party address': [json(run('npx pujiang keys show --key bob.json')).address],
      serial: [json(bob).serial],
      'from ms': ['0'],
      'to ms': [String(Date.now() + 3_600_000)],
    };

    const blocks = new Map<string, string[]>();
    const counts = new Map<string, number>();
    for (const b of readmeBlocks()) {
      const n = counts.get(b.section) ?? 0;
      counts.set(b.section, n + 1);
      blocks.set(`${b.section}#${n}`, b.lines);
    }
    let ran = 0;
    for (const name of RUN_HERE.filter((n) => n !== 'Running a node#0')) {
      for (const written of blocks.get(name)!.filter((l) => l.startsWith('npx pujiang '))) {
        // Optional options are shown in brackets: run them too.
        const line = written.replace(/\[(--[^\]]+)\]/g, '$1').replace(/<([^>]+)>/g, (_, key: string) => {
          const known = values[key]?.[0];
          assert.ok(known !== undefined, `<${key}> is needed before it is known: ${written}`);
          return known;
        });
        let r = run(line);
        for (
          let tries = 0;
          r.status === 1 && /GOV_NOT_READY/.test(r.stdout + r.stderr) && tries < 600;
          tries++
        ) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          r = run(line);
        }
        assert.equal(r.status, 0, `${line}\n${r.stdout}\n${r.stderr}`);
        ran++;
        learn(written, r.stdout, values, dir, node.api);
        if (written.includes(' did create ')) await writeResolvedDocument(node.api, values.did![0]!, dir);
      }
    }
    assert.ok(ran >= 30, `${ran} commands`);
    assert.equal(values.did?.length, 1);
  });

  it('running a node: init, start (Ctrl-C stops it cleanly), replay', async () => {
    const { dir } = ctx!;
    mkdirSync(join(dir, 'own'));
    const lines = readmeBlocks()
      .find((b) => b.section === 'Running a node')!
      .lines.filter((l) => l.startsWith('npx pujiang '));
    assert.equal(lines.length, 3);
    const [initLine, startLine, replayLine] = lines as [string, string, string];
    const cwd = join(dir, 'own');
    assert.equal(bash(cwd, '', initLine).status, 0);
    // The API on a port of its own (26657 may be taken on a test machine); the rest as init wrote it.
    const config = join(cwd, 'node0', 'config.json');
    const written = JSON.parse(readFileSync(config, 'utf8'));
    writeFileSync(config, JSON.stringify({ ...written, api: { ...written.api, port: 0 } }));
    const started = spawn(
      'bash',
      ['-c', `npx() { shift; exec "${process.execPath}" "${BIN}" "$@"; }\n${startLine}`],
      {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
    let out = '';
    started.stdout!.on('data', (d) => {
      out += String(d);
    });
    await until(
      () => out.includes('"started"'),
      60_000,
      () => out,
    );
    const api = (JSON.parse(out.split('\n').find((l) => l.includes('"started"'))!) as { api: string }).api;
    // Its first block (an idle chain then makes one per empty-block interval, 30 s as init wrote it).
    let height = 0;
    await until(
      () => height >= 1,
      60_000,
      () => `height ${height}: ${out}`,
      async () => {
        height = ((await (await fetch(`${api}/v1/status`)).json()) as { height: number }).height;
      },
    );
    started.kill('SIGINT');
    assert.equal(await exited, 0, out);
    const replay = bash(cwd, '', replayLine);
    assert.equal(replay.status, 0, `${replay.stdout}\n${replay.stderr}`);
  });
});

/** What a line printed that later lines name: the DID `did create` made, a key's hex, a signature. */
function learn(
  written: string,
  stdout: string,
  values: Record<string, string[]>,
  _dir: string,
  _api: string,
): void {
  if (written.includes(' did create ')) values.did = [JSON.parse(stdout).did];
  if (written.includes(' crypto keygen ')) {
    const key = JSON.parse(stdout);
    values['secret hex'] = [key.secretKey];
    values['public hex'] = [key.publicKey];
  }
  if (written.includes(' crypto sign ')) {
    values['r||s hex or DER hex'] = [stdout.trim()];
    values.hex = [/--msg ([0-9a-f]+)/.exec(written)![1]!];
  }
}

/** The user's step the DID block's comment describes: doc.json is the resolved document (edited). */
async function writeResolvedDocument(api: string, did: string, dir: string): Promise<void> {
  const res = await fetch(`${api}/1.0/identifiers/${encodeURIComponent(did)}`);
  const { didDocument } = (await res.json()) as { didDocument: { service?: unknown[] } };
  didDocument.service = [
    { id: `${did}#site`, type: 'LinkedDomains', serviceEndpoint: 'https://customs.example' },
  ];
  writeFileSync(join(dir, 'doc.json'), JSON.stringify(didDocument));
}

async function until(
  probe: () => boolean,
  ms: number,
  show: () => string,
  refresh: () => Promise<void> = async () => {},
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    await refresh().catch(() => {});
    if (probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out: ${show()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
