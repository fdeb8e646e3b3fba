import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as moduleClient from '@pujiang/modules/client';
import * as moduleVerify from '@pujiang/modules/verify';
import * as verify from '@pujiang/verify';
import {
  digestDocument,
  generateKeyPair,
  LightClient,
  NotaryBatch,
  PujiangClient,
  PujiangError,
} from '../src/index.js';
import { cannedServer, headerResponse, JUNK, makeChain } from './fixtures.js';

/**
 * Every module client call and every offline verifier, called with what a careless caller
 * passes: each refuses with a typed error, never a `TypeError` or a `CodecError` from deep
 * inside. Calls refuse with `SDK_INVALID_ARGUMENT` naming the parameter before any request;
 * verifiers refuse a caller's malformed argument the same way, and malformed server data with
 * the check it fails (`SDK_VERIFICATION_FAILED`) or `SDK_DOCUMENT_MALFORMED`.
 */

type AnyCall = (junk: never) => unknown;

/** A modulus the chain's checks accept (2048 bits, odd, no factor below 2000); not a real key. */
const PAILLIER_N = (() => {
  const smallFactor = (n: bigint) => {
    for (let p = 3n; p < 2000n; p += 2n) if (n % p === 0n) return true;
    return false;
  };
  let n = (1n << 2047n) + 1n;
  while (smallFactor(n)) n += 2n;
  return n;
})();
const TOY_KEY = { format: 'pujiang-paillier-key/v1', n: '23', p: '5', q: '7' } as const;

const VERIFIER_CODES = new Set(['SDK_INVALID_ARGUMENT', 'SDK_VERIFICATION_FAILED', 'SDK_DOCUMENT_MALFORMED']);

describe('module client calls and verifiers refuse malformed arguments with typed errors', () => {
  let server: Awaited<ReturnType<typeof cannedServer>>;
  let client: PujiangClient;
  let light: LightClient;
  const chain = makeChain();
  const key = generateKeyPair('ed25519');
  const to = '00'.repeat(21);
  const evmTo = '00'.repeat(20);
  const digest = '11'.repeat(32);
  const did = `did:pujiang:${chain.genesis.chainId}:${'ab'.repeat(32)}`;
  const trust = { genesis: chain.genesis };
  before(async () => {
    server = await cannedServer(() => ({
      status: 500,
      body: { error: { code: 'X', message: 'x', details: {} } },
    }));
    client = new PujiangClient({ url: server.url, timeoutMs: 500 });
    light = new LightClient({ client, genesis: chain.genesis });
  });
  after(() => server.close());

  const certified = () => verify.verifyHeader({ ...trust, ...headerResponse(chain.header5, chain.cert5) });
  const certified6 = () => verify.verifyHeader({ ...trust, ...headerResponse(chain.header6, chain.cert6) });
  const batch = () => new NotaryBatch('sm3', [{ algorithm: 'sm3', digest }]);

  const calls: Record<string, AnyCall> = {
    'sendTransfer(parameters)': (j) => moduleClient.sendTransfer(client, j),
    'sendTransfer(to)': (j) => moduleClient.sendTransfer(client, { key, to: j, amount: 1 }),
    'sendTransfer(amount)': (j) => moduleClient.sendTransfer(client, { key, to, amount: j }),
    'transferPayload(to)': (j) => moduleClient.transferPayload(j, 1),
    'getBalance(address)': (j) => moduleClient.getBalance(client, j),
    'registerIdentity(parameters)': (j) => moduleClient.registerIdentity(client, j),
    'registerIdentity(certificate)': (j) => moduleClient.registerIdentity(client, { key, certificate: j }),
    'revokeCertificate(org)': (j) => moduleClient.revokeCertificate(client, { key, org: j, serial: '01' }),
    'revokeCertificate(serial)': (j) => moduleClient.revokeCertificate(client, { key, org: 'o', serial: j }),
    'submitProposal(parameters)': (j) => moduleClient.submitProposal(client, j),
    'submitProposal(title)': (j) =>
      moduleClient.submitProposal(client, {
        key,
        title: j,
        action: { type: 'setPolicy', value: {} } as never,
      }),
    'submitProposal(action)': (j) => moduleClient.submitProposal(client, { key, title: 't', action: j }),
    'voteOnProposal(id)': (j) => moduleClient.voteOnProposal(client, { key, id: j, approve: true }),
    'voteOnProposal(approve)': (j) => moduleClient.voteOnProposal(client, { key, id: 1, approve: j }),
    'vetoProposal(reason)': (j) => moduleClient.vetoProposal(client, { key, id: 1, reason: j }),
    'finalizeProposal(parameters)': (j) => moduleClient.finalizeProposal(client, j),
    'getProposal(id)': (j) => moduleClient.getProposal(client, j),
    'listProposals(limit)': (j) =>
      j === undefined ? Promise.reject(skip) : moduleClient.listProposals(client, j),
    'proposalStatusAt(proposal)': (j) => moduleClient.proposalStatusAt(j, 1),
    'createDid(parameters)': (j) => moduleClient.createDid(client, j),
    'createDid(document)': (j) => moduleClient.createDid(client, { key, document: j }),
    'updateDid(did)': (j) => moduleClient.updateDid(client, { key, did: j, document: {}, version: 1 }),
    'updateDid(version)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.updateDid(client, { key, did, document: j, version: j }),
    'deactivateDid(parameters)': (j) => moduleClient.deactivateDid(client, j),
    'anchorIssuance(digests)': (j) => moduleClient.anchorIssuance(client, { key, digests: j }),
    'resolveDid(did)': (j) => moduleClient.resolveDid(client, j),
    'resolveDid(options)': (j) =>
      j === undefined ? Promise.reject(skip) : moduleClient.resolveDid(client, did, j),
    'resolveDidVerified(did)': (j) => moduleClient.resolveDidVerified(light, j),
    'createStatusList(list)': (j) =>
      moduleClient.createStatusList(client, { key, list: j, issuer: did, purpose: 'revocation' }),
    'createStatusList(issuer)': (j) =>
      moduleClient.createStatusList(client, { key, list: 'l', issuer: j, purpose: 'revocation' }),
    'createStatusList(purpose)': (j) =>
      moduleClient.createStatusList(client, { key, list: 'l', issuer: did, purpose: j }),
    'setCredentialStatus(credential)': (j) =>
      moduleClient.setCredentialStatus(client, { key, credential: j, value: true }),
    'accredit(parameters)': (j) => moduleClient.accredit(client, j),
    'accredit(credentialTypes)': (j) =>
      moduleClient.accredit(client, {
        key,
        accreditor: did,
        subject: did,
        role: 'issuer',
        credentialTypes: j,
        jurisdictions: ['cn'],
      }),
    'accredit(validFrom)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.accredit(client, {
            key,
            accreditor: did,
            subject: did,
            role: 'issuer',
            credentialTypes: ['t'],
            jurisdictions: ['cn'],
            validFrom: j,
          }),
    'withdrawAccreditation(id)': (j) => moduleClient.withdrawAccreditation(client, { key, id: j }),
    'trustRootsAction(roots)': (j) => moduleClient.trustRootsAction(j),
    'verifiedChainLookup(light)': (j) => moduleClient.verifiedChainLookup(j),
    'verifyCredentialVerified(options)': (j) =>
      j === undefined ? Promise.reject(skip) : moduleClient.verifyCredentialVerified(light, {}, j),
    'notarize(parameters)': (j) => moduleClient.notarize(client, j),
    'notarize(documents)': (j) => moduleClient.notarize(client, { key, documents: j }),
    'notarize(tags)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.notarize(client, { key, documents: [{ algorithm: 'sm3', digest }], tags: j }),
    'awaitNotaryReceipts(receipts)': (j) => moduleClient.awaitNotaryReceipts(client, j),
    'completeNotaryReceipts(receipts)': (j) => moduleClient.completeNotaryReceipts(client, j),
    'pendingNotaryReceipts(parameters)': (j) => moduleClient.pendingNotaryReceipts(j),
    'pendingNotaryReceipts(txHash)': (j) =>
      moduleClient.pendingNotaryReceipts({ chainId: 'c', batch: batch(), txHash: j, txRaw: '00' }),
    'getAnchor(root)': (j) => moduleClient.getAnchor(client, j),
    'receiptsOfExistingAnchor(batch)': (j) => moduleClient.receiptsOfExistingAnchor(client, j),
    'createAsset(parameters)': (j) => moduleClient.createAsset(client, j),
    'createAsset(asset)': (j) => moduleClient.createAsset(client, { key, asset: j, assetType: 't' }),
    'createAsset(outputs)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.createAsset(client, { key, asset: 'a', assetType: 't', outputs: j }),
    'recordLineageEvent(parameters)': (j) => moduleClient.recordLineageEvent(client, j),
    'recordLineageEvent(prev)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.recordLineageEvent(client, { key, asset: 'a', eventType: 'used', prev: j }),
    'getLineageProof(asset)': (j) => moduleClient.getLineageProof(client, j),
    'searchNotary(what)': (j) => moduleClient.searchNotary(client, j),
    'searchNotary(parameters)': (j) =>
      j === undefined ? Promise.reject(skip) : moduleClient.searchNotary(client, 'anchors', j),
    'readHeaderSubmission(height)': (j) => moduleClient.readHeaderSubmission(client, j),
    'createLightClient(parameters)': (j) => moduleClient.createLightClient(client, j),
    'createLightClient(clientId)': (j) =>
      moduleClient.createLightClient(client, {
        key,
        clientId: j,
        chainId: 'c',
        chainHash: 'sm3',
        trustingPeriodMs: 1,
        maxClockDriftMs: 1,
        trusted: {} as never,
      }),
    'createLightClient(trustingPeriodMs)': (j) =>
      moduleClient.createLightClient(client, {
        key,
        clientId: 'c',
        chainId: 'c',
        chainHash: 'sm3',
        trustingPeriodMs: j,
        maxClockDriftMs: 1,
        trusted: {} as never,
      }),
    'createLightClient(trusted)': (j) =>
      moduleClient.createLightClient(client, {
        key,
        clientId: 'c',
        chainId: 'c',
        chainHash: 'sm3',
        trustingPeriodMs: 1,
        maxClockDriftMs: 1,
        trusted: j,
      }),
    'updateLightClient(header)': (j) =>
      moduleClient.updateLightClient(client, { key, clientId: 'c', header: j }),
    'submitMisbehaviour(a)': (j) =>
      moduleClient.submitMisbehaviour(client, { key, clientId: 'c', a: j, b: j }),
    'applyLightClientRecovery(clientId)': (j) =>
      moduleClient.applyLightClientRecovery(client, { key, clientId: j }),
    'getLightClient(clientId)': (j) => moduleClient.getLightClient(client, j),
    'proveForeignState(stateKey)': (j) =>
      moduleClient.proveForeignState(client, client, { key, clientId: 'c', stateKey: j, height: 1 }),
    'proveForeignState(height)': (j) =>
      moduleClient.proveForeignState(client, client, { key, clientId: 'c', stateKey: '00', height: j }),
    'getProvenState(clientId)': (j) => moduleClient.getProvenState(client, j, '00'),
    'getProvenState(key)': (j) => moduleClient.getProvenState(client, 'c', j),
    'getLightClientConsensusState(height)': (j) => moduleClient.getLightClientConsensusState(client, 'c', j),
    'sendTokens(parameters)': (j) => moduleClient.sendTokens(client, j),
    'sendTokens(channelId)': (j) =>
      moduleClient.sendTokens(client, {
        key,
        channelId: j,
        denom: 'native',
        amount: 1,
        receiver: to,
        timeoutHeight: 9,
      }),
    'sendTokens(amount)': (j) =>
      moduleClient.sendTokens(client, {
        key,
        channelId: 'channel-0',
        denom: 'native',
        amount: j,
        receiver: to,
        timeoutHeight: 9,
      }),
    'sendTokens(timeoutHeight)': (j) =>
      moduleClient.sendTokens(client, {
        key,
        channelId: 'channel-0',
        denom: 'native',
        amount: 1,
        receiver: to,
        timeoutHeight: j,
      }),
    'sendRemoteCall(parameters)': (j) => moduleClient.sendRemoteCall(client, j),
    'sendRemoteCall(module)': (j) =>
      moduleClient.sendRemoteCall(client, {
        key,
        channelId: 'channel-0',
        module: j,
        export: 'anchor',
        args: {},
        timeoutHeight: 9,
      }),
    'getConnection(id)': (j) => moduleClient.getConnection(client, j),
    'getChannel(port)': (j) => moduleClient.getChannel(client, j, 'channel-0'),
    'getChannel(id)': (j) => moduleClient.getChannel(client, 'transfer', j),
    'getPacket(sequence)': (j) => moduleClient.getPacket(client, 'transfer', 'channel-0', j),
    'getPacket(channel)': (j) => moduleClient.getPacket(client, 'transfer', j, 1),
    'getEscrow(denom)': (j) => moduleClient.getEscrow(client, 'channel-0', j),
    'listPendingPackets(channel)': (j) => moduleClient.listPendingPackets(client, 'transfer', j),
    'lockHtlc(parameters)': (j) => moduleClient.lockHtlc(client, j),
    'lockHtlc(hashlock)': (j) =>
      moduleClient.lockHtlc(client, { key, receiver: to, amount: 1, hashlock: j, timelock: 1 }),
    'lockHtlc(amount)': (j) =>
      moduleClient.lockHtlc(client, { key, receiver: to, amount: j, hashlock: digest, timelock: 1 }),
    'claimHtlc(id)': (j) => moduleClient.claimHtlc(client, { key, id: j, preimage: '00' }),
    'claimHtlc(preimage)': (j) => moduleClient.claimHtlc(client, { key, id: digest, preimage: j }),
    'refundHtlc(id)': (j) => moduleClient.refundHtlc(client, { key, id: j }),
    'getHtlc(id)': (j) => moduleClient.getHtlc(client, j),
    'digestDocument(content)': (j) => digestDocument('sm3', j),
    'digestDocument(algorithm)': (j) => digestDocument(j, new Uint8Array(1)),
    'openRound(parameters)': (j) => moduleClient.openRound(client, j),
    'openRound(id)': (j) => moduleClient.openRound(client, { key, id: j, scheme: 'paillier', closesAt: 9 }),
    'openRound(scheme)': (j) => moduleClient.openRound(client, { key, id: 'r', scheme: j, closesAt: 9 }),
    'openRound(closesAt)': (j) =>
      moduleClient.openRound(client, { key, id: 'r', scheme: 'paillier', closesAt: j }),
    'openRound(submitters)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.openRound(client, { key, id: 'r', scheme: 'paillier', closesAt: 9, submitters: j }),
    'submitToRound(round)': (j) => moduleClient.submitToRound(client, { key, round: j, value: 1n }),
    'submitToRound(value)': (j) => moduleClient.submitToRound(client, { key, round: 'r', value: j }),
    'encryptForRound(round)': (j) => moduleClient.encryptForRound(client, { key, round: 'r', value: 1n }, j),
    'closeRound(round)': (j) => moduleClient.closeRound(client, { key, round: j }),
    'getRound(id)': (j) => moduleClient.getRound(client, j),
    'registerPaillierKey(id)': (j) =>
      moduleClient.registerPaillierKey(client, { key, id: j, modulus: PAILLIER_N }),
    'registerPaillierKey(modulus)': (j) =>
      moduleClient.registerPaillierKey(client, { key, id: 'k', modulus: j }),
    'publishPaillierTotal(value)': (j) =>
      moduleClient.publishPaillierTotal(client, {
        key,
        round: 'r',
        modulusBytes: 256,
        value: j,
        randomness: 1n,
      }),
    'publishPaillierTotal(modulusBytes)': (j) =>
      moduleClient.publishPaillierTotal(client, {
        key,
        round: 'r',
        modulusBytes: j,
        value: 1n,
        randomness: 1n,
      }),
    'encryptPaillier(modulus)': (j) => moduleClient.encryptPaillier(j, 1n),
    'encryptPaillier(value)': (j) => moduleClient.encryptPaillier(PAILLIER_N, j),
    'decryptPaillier(keyFile)': (j) => moduleClient.decryptPaillier(j, '00'),
    'decryptPaillier(total)': (j) => moduleClient.decryptPaillier(TOY_KEY, j),
    'generatePaillierKey(bits)': (j) =>
      j === undefined ? Promise.reject(skip) : moduleClient.generatePaillierKey(j),
    'modulusBytes(n)': (j) => moduleClient.modulusBytes(j),
    'parsePaillierKeyFile(value)': (j) => moduleClient.parsePaillierKeyFile(j),
    'committeeParamValue(parameters)': (j) => moduleClient.committeeParamValue(j),
    'committeeParamValue(members)': (j) =>
      moduleClient.committeeParamValue({ members: j, threshold: 1, phaseBlocks: 5 }),
    'committeeParamValue(threshold)': (j) =>
      moduleClient.committeeParamValue({ members: [to], threshold: j, phaseBlocks: 5 }),
    'registerMemberKey(member)': (j) => moduleClient.registerMemberKey(client, { key, member: j }),
    'dealShares(member)': (j) => moduleClient.dealShares(client, { key, member: j }),
    'badDealers(member)': (j) => moduleClient.badDealers(client, { key, member: j }),
    'answerComplaints(member)': (j) => moduleClient.answerComplaints(client, { key, member: j }),
    'deriveShare(member)': (j) => moduleClient.deriveShare(client, { key, member: j }),
    'complainAbout(epoch)': (j) => moduleClient.complainAbout(client, { key, epoch: j, dealer: 1 }),
    'complainAbout(dealer)': (j) => moduleClient.complainAbout(client, { key, epoch: 1, dealer: j }),
    'finalizeEpoch(epoch)': (j) => moduleClient.finalizeEpoch(client, { key, epoch: j }),
    'getCommittee()': () => Promise.reject(skip),
    'dealingEpoch()': () => Promise.reject(skip),
    'newMemberState()': () => Promise.reject(skip),
    'parseMemberState(value)': (j) => moduleClient.parseMemberState(j),
    'getDecryptionRequest(id)': (j) => moduleClient.getDecryptionRequest(client, j),
    'requestDecryption(id)': (j) =>
      moduleClient.requestDecryption(client, { key, id: j, round: 'r', reason: '' }),
    'requestDecryption(reason)': (j) =>
      moduleClient.requestDecryption(client, { key, id: 'q', round: 'r', reason: j }),
    'requestDecryption(record)': (j) =>
      moduleClient.requestDecryption(client, { key, id: 'q', record: j, reason: '' }),
    'submitPartialDecryption(request)': (j) =>
      moduleClient.submitPartialDecryption(client, {
        key,
        request: j,
        member: moduleClient.newMemberState(),
      }),
    'submitPartialDecryption(member)': (j) =>
      moduleClient.submitPartialDecryption(client, { key, request: 'q', member: j }),
    'defineCollection(name)': (j) =>
      moduleClient.defineCollection(client, { key, name: j, orgs: ['o'], retentionBlocks: 5 }),
    'defineCollection(orgs)': (j) =>
      moduleClient.defineCollection(client, { key, name: 'c', orgs: j, retentionBlocks: 5 }),
    'defineCollection(retentionBlocks)': (j) =>
      moduleClient.defineCollection(client, { key, name: 'c', orgs: ['o'], retentionBlocks: j }),
    'putPrivateData(collection)': (j) =>
      moduleClient.putPrivateData(client, { key, collection: j, entry: 'e', value: bytes }),
    'putPrivateData(entry)': (j) =>
      moduleClient.putPrivateData(client, { key, collection: 'c', entry: j, value: bytes }),
    'putPrivateData(value)': (j) =>
      moduleClient.putPrivateData(client, { key, collection: 'c', entry: 'e', value: j }),
    'getPrivateData(parameters)': (j) => moduleClient.getPrivateData(client, j),
    'getPrivateData(entry)': (j) => moduleClient.getPrivateData(client, { collection: 'c', entry: j }),
    'getPrivateEntry(collection)': (j) => moduleClient.getPrivateEntry(client, { collection: j, entry: 'e' }),
    'getCollection(name)': (j) => moduleClient.getCollection(client, j),
    'purgePrivateData(entry)': (j) =>
      moduleClient.purgePrivateData(client, { key, collection: 'c', entry: j }),
    'issueDocument(parameters)': (j) => moduleClient.issueDocument(client, j),
    'issueDocument(issuer)': (j) => moduleClient.issueDocument(client, { ...docIssue, issuer: j }),
    'issueDocument(type)': (j) => moduleClient.issueDocument(client, { ...docIssue, type: j }),
    'issueDocument(number)': (j) => moduleClient.issueDocument(client, { ...docIssue, number: j }),
    'issueDocument(file)': (j) =>
      j === undefined ? Promise.reject(skip) : moduleClient.issueDocument(client, { ...docIssue, file: j }),
    'registerDocument(credentialDigest)': (j) =>
      moduleClient.registerDocument(client, { ...docRegister, credentialDigest: j }),
    'registerDocument(holder)': (j) =>
      moduleClient.registerDocument(client, { ...docRegister, type: 'BillOfLading', holder: j }),
    'transferDocument(id)': (j) => moduleClient.transferDocument(client, { key, id: j, to }),
    'transferDocument(to)': (j) => moduleClient.transferDocument(client, { key, id: digest, to: j }),
    'surrenderDocument(id)': (j) => moduleClient.surrenderDocument(client, { key, id: j }),
    'setDocumentStatus(status)': (j) =>
      moduleClient.setDocumentStatus(client, { key, id: digest, status: j }),
    'amendDocument(newId)': (j) => moduleClient.amendDocument(client, { key, id: digest, newId: j }),
    'getDocument(id)': (j) => moduleClient.getDocument(client, j),
    'getDocumentHolders(parameters)': (j) => moduleClient.getDocumentHolders(client, j),
    'setCreditLine(buyer)': (j) => moduleClient.setCreditLine(client, { key, buyer: j, limit: 1 }),
    'setCreditLine(limit)': (j) => moduleClient.setCreditLine(client, { key, buyer: to, limit: j }),
    'confirmReceivable(parameters)': (j) => moduleClient.confirmReceivable(client, j),
    'confirmReceivable(supplier)': (j) =>
      moduleClient.confirmReceivable(client, { ...scfConfirm, supplier: j }),
    'confirmReceivable(amount)': (j) => moduleClient.confirmReceivable(client, { ...scfConfirm, amount: j }),
    'confirmReceivable(dueDate)': (j) =>
      moduleClient.confirmReceivable(client, { ...scfConfirm, dueDate: j }),
    'confirmReceivable(invoiceDigest)': (j) =>
      moduleClient.confirmReceivable(client, { ...scfConfirm, invoiceDigest: j }),
    'confirmReceivable(reference)': (j) =>
      moduleClient.confirmReceivable(client, { ...scfConfirm, reference: j }),
    'splitReceivable(id)': (j) => moduleClient.splitReceivable(client, { key, id: j, amounts: [1, 2] }),
    'splitReceivable(amounts)': (j) => moduleClient.splitReceivable(client, { key, id: digest, amounts: j }),
    'transferReceivable(id)': (j) => moduleClient.transferReceivable(client, { key, id: j, to }),
    'transferReceivable(to)': (j) => moduleClient.transferReceivable(client, { key, id: digest, to: j }),
    'requestFinancing(org)': (j) =>
      moduleClient.requestFinancing(client, { key, id: digest, org: j, advance: 1 }),
    'requestFinancing(advance)': (j) =>
      moduleClient.requestFinancing(client, { key, id: digest, org: 'bank', advance: j }),
    'cancelFinancing(id)': (j) => moduleClient.cancelFinancing(client, { key, id: j }),
    'financeReceivable(payTo)': (j) =>
      moduleClient.financeReceivable(client, { key, id: digest, payTo: j, advance: 1 }),
    'financeReceivable(advance)': (j) =>
      moduleClient.financeReceivable(client, { key, id: digest, payTo: to, advance: j }),
    'releasePledge(id)': (j) => moduleClient.releasePledge(client, { key, id: j }),
    'settleReceivable(id)': (j) => moduleClient.settleReceivable(client, { key, id: j }),
    'settleReceivable(amount)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.settleReceivable(client, { key, id: digest, amount: j }),
    'getReceivable(id)': (j) => moduleClient.getReceivable(client, j),
    'getReceivablePart(id)': (j) => moduleClient.getReceivablePart(client, j),
    'getInvoice(digest)': (j) => moduleClient.getInvoice(client, j),
    'getCreditLine(parameters)': (j) => moduleClient.getCreditLine(client, j),
    'getCreditLine(buyer)': (j) => moduleClient.getCreditLine(client, { buyer: j }),
    'getScfBanks()': () => Promise.reject(skip),
    'verifiedInvoice(light)': (j) => moduleClient.verifiedInvoice(j, digest),
    'verifiedReceivable(light)': (j) => moduleClient.verifiedReceivable(j, digest),
    'draftCredit(parameters)': (j) => moduleClient.draftCredit(client, j),
    'draftCredit(mt700)': (j) => moduleClient.draftCredit(client, { ...lcDraft, mt700: j }),
    'draftCredit(beneficiary)': (j) => moduleClient.draftCredit(client, { ...lcDraft, beneficiary: j }),
    'draftCredit(calendar)': (j) => moduleClient.draftCredit(client, { ...lcDraft, calendar: j }),
    'draftCredit(required)': (j) => moduleClient.draftCredit(client, { ...lcDraft, required: j }),
    'draftCredit(tenorDays)': (j) =>
      j === undefined ? Promise.reject(skip) : moduleClient.draftCredit(client, { ...lcDraft, tenorDays: j }),
    'checkCredit(id)': (j) => moduleClient.checkCredit(client, { key, id: j }),
    'approveCredit(id)': (j) => moduleClient.approveCredit(client, { key, id: j }),
    'adviseCredit(id)': (j) => moduleClient.adviseCredit(client, { key, id: j }),
    'issueCredit(number)': (j) => moduleClient.issueCredit(client, { key, id: digest, number: j }),
    'amendCredit(id)': (j) => moduleClient.amendCredit(client, { key, id: j, amount: 1 }),
    'amendCredit(amount)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.amendCredit(client, { key, id: digest, amount: j }),
    'amendCredit(expiryDate)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.amendCredit(client, { key, id: digest, expiryDate: j }),
    'acceptAmendment(seq)': (j) => moduleClient.acceptAmendment(client, { key, id: digest, seq: j }),
    'rejectAmendment(seq)': (j) => moduleClient.rejectAmendment(client, { key, id: digest, seq: j }),
    'presentDocuments(amount)': (j) =>
      moduleClient.presentDocuments(client, { key, id: digest, amount: j, documents: lcRecords }),
    'presentDocuments(documents)': (j) =>
      moduleClient.presentDocuments(client, { key, id: digest, amount: 1, documents: j }),
    'completePresentation(seq)': (j) =>
      moduleClient.completePresentation(client, { key, id: digest, seq: j }),
    'honourPresentation(id)': (j) => moduleClient.honourPresentation(client, { key, id: j, seq: 1 }),
    'refusePresentation(discrepancies)': (j) =>
      moduleClient.refusePresentation(client, { key, id: digest, seq: 1, discrepancies: j }),
    'waiveDiscrepancies(seq)': (j) => moduleClient.waiveDiscrepancies(client, { key, id: digest, seq: j }),
    'claimPayment(seq)': (j) => moduleClient.claimPayment(client, { key, id: digest, seq: j }),
    'settlePresentation(seq)': (j) => moduleClient.settlePresentation(client, { key, id: digest, seq: j }),
    'setBankingCalendar(year)': (j) =>
      moduleClient.setBankingCalendar(client, { key, calendar: 'CN', year: j }),
    'getCredit(id)': (j) => moduleClient.getCredit(client, j),
    'getCreditByNumber(parameters)': (j) => moduleClient.getCreditByNumber(client, j),
    'getPresentation(parameters)': (j) => moduleClient.getPresentation(client, j),
    'getAmendment(parameters)': (j) => moduleClient.getAmendment(client, j),
    'getBankingCalendar(parameters)': (j) => moduleClient.getBankingCalendar(client, j),
    'getLcBanks()': () => Promise.reject(skip),
    'verifyDocument(parameters)': (j) => moduleClient.verifyDocument(light, j),
    'verifiedDocsLookup(height)': (j) => moduleClient.verifiedDocsLookup(light, j),
    'mintConfidential(to)': (j) => moduleClient.mintConfidential(client, { key, to: j, amount: 1n }),
    'mintConfidential(amount)': (j) => moduleClient.mintConfidential(client, { key, to, amount: j }),
    'registerConfidentialViewKey(wallet)': (j) =>
      moduleClient.registerConfidentialViewKey(client, { key, wallet: j }),
    'syncWallet(parameters)': (j) => moduleClient.syncWallet(client, j),
    'syncWallet(wallet)': (j) => moduleClient.syncWallet(client, { key, address: to, wallet: j }),
    'sendConfidential(wallet)': (j) =>
      moduleClient.sendConfidential(client, { key, address: to, wallet: j, to, amount: 1n }),
    'sendConfidential(amount)': (j) =>
      moduleClient.sendConfidential(client, {
        key,
        address: to,
        wallet: moduleClient.newConfidentialWallet(),
        to,
        amount: j,
      }),
    'auditInbox(auditorSecret)': (j) => moduleClient.auditInbox(client, { address: to, auditorSecret: j }),
    'parseConfidentialWallet(value)': (j) => moduleClient.parseConfidentialWallet(j),
    'newConfidentialWallet()': () => Promise.reject(skip),
    'releaseProver()': () => Promise.reject(skip),
    'finishDecryption(request)': (j) => moduleClient.finishDecryption(client, { request: j, blind: digest }),
    'finishDecryption(blind)': (j) => moduleClient.finishDecryption(client, { request: 'q', blind: j }),
    'finishDecryption(maxValue)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.finishDecryption(client, { request: 'q', blind: digest, maxValue: j }),
    'deployContract(parameters)': (j) => moduleClient.deployContract(client, j),
    'deployContract(key)': (j) => moduleClient.deployContract(client, { key: j, bytecode: '0x60' }),
    'deployContract(bytecode)': (j) => moduleClient.deployContract(client, { key, bytecode: j }),
    'deployContract(constructorData)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.deployContract(client, { key, bytecode: '0x60', constructorData: j }),
    'deployContract(value)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.deployContract(client, { key, bytecode: '0x60', value: j }),
    'deployContract(gasLimit)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.deployContract(client, { key, bytecode: '0x60', gasLimit: j }),
    'callContract(parameters)': (j) => moduleClient.callContract(client, j),
    'callContract(to)': (j) => moduleClient.callContract(client, { key, to: j }),
    'callContract(data)': (j) =>
      j === undefined ? Promise.reject(skip) : moduleClient.callContract(client, { key, to: evmTo, data: j }),
    'readContract(parameters)': (j) => moduleClient.readContract(client, j),
    'readContract(to)': (j) => moduleClient.readContract(client, { to: j, data: '0x' }),
    'readContract(data)': (j) => moduleClient.readContract(client, { to: evmTo, data: j }),
    'readContract(from)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.readContract(client, { to: evmTo, data: '0x', from: j }),
    'readContract(height)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.readContract(client, { to: evmTo, data: '0x', height: j }),
    'getStorageProven(parameters)': (j) => moduleClient.getStorageProven(client, j),
    'getStorageProven(address)': (j) => moduleClient.getStorageProven(client, { address: j, slot: 0 }),
    'getStorageProven(slot)': (j) => moduleClient.getStorageProven(client, { address: evmTo, slot: j }),
    'getStorageProven(provenAfter)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.getStorageProven(client, { address: evmTo, slot: 0, provenAfter: j }),
    'getStorageVerified(querier)': (j) => moduleClient.getStorageVerified(j, { address: evmTo, slot: 0 }),
    'getStorageVerified(slot)': (j) => moduleClient.getStorageVerified(light, { address: evmTo, slot: j }),
    'evmAddressOf(key)': (j) => moduleClient.evmAddressOf(j, 'sm3'),
    'evmAddressOf(chain)': (j) => moduleClient.evmAddressOf(key, j),
    'evmLogsOf(receipt)': (j) => moduleClient.evmLogsOf(j),
  };

  const dataset = {
    key,
    id: 'customs.declarations',
    title: 'Declarations',
    steward: did,
    classification: 'restricted',
    legalBases: ['Law-1'],
    endpoint: 'http://127.0.0.1:1/',
    schema: { type: 'object' },
    subjectField: 'enterprise',
  } as const;
  const dataRequest = {
    key,
    dataset: 'customs.declarations',
    purpose: 'p',
    legalBasis: 'Law-1',
    validUntil: new Date(),
    replyKey: new Uint8Array(32),
  };
  const fetchParameters = {
    service: 'http://127.0.0.1:1/',
    request: digest,
    key,
    replySecret: new Uint8Array(32),
  };
  const consentParameters = {
    key,
    subjectDid: did,
    requester: did,
    dataset: 'd',
    purpose: 'p',
    validUntil: new Date(),
    statusList: { list: 'l', url: 'http://x/credentials/status/l', index: 0 },
  };
  const dataCalls: Record<string, AnyCall> = {
    'registerDataset(parameters)': (j) => moduleClient.registerDataset(client, j),
    'registerDataset(id)': (j) => moduleClient.registerDataset(client, { ...dataset, id: j }),
    'registerDataset(classification)': (j) =>
      moduleClient.registerDataset(client, { ...dataset, classification: j }),
    'registerDataset(legalBases)': (j) => moduleClient.registerDataset(client, { ...dataset, legalBases: j }),
    'registerDataset(schema)': (j) => moduleClient.registerDataset(client, { ...dataset, schema: j }),
    'registerDataset(policy)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.registerDataset(client, { ...dataset, policy: j }),
    'updateDataset(version)': (j) =>
      j === undefined ? Promise.reject(skip) : moduleClient.updateDataset(client, { ...dataset, version: j }),
    'getDataset(id)': (j) => moduleClient.getDataset(client, j),
    'getDataset(options)': (j) => moduleClient.getDataset(client, 'd', j),
    'getCatalog(options)': (j) => moduleClient.getCatalog(client, j),
    'getAuditors(options)': (j) => moduleClient.getAuditors(client, j),
    'requestData(parameters)': (j) => moduleClient.requestData(client, j),
    'requestData(purpose)': (j) => moduleClient.requestData(client, { ...dataRequest, purpose: j }),
    'requestData(legalBasis)': (j) => moduleClient.requestData(client, { ...dataRequest, legalBasis: j }),
    'requestData(validUntil)': (j) => moduleClient.requestData(client, { ...dataRequest, validUntil: j }),
    'requestData(replyKey)': (j) => moduleClient.requestData(client, { ...dataRequest, replyKey: j }),
    'requestData(consent)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.requestData(client, { ...dataRequest, consent: j }),
    'grantRequest(request)': (j) => moduleClient.grantRequest(client, { key, request: j }),
    'grantRequest(validUntil)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.grantRequest(client, { key, request: digest, validUntil: j }),
    'refuseRequest(reason)': (j) => moduleClient.refuseRequest(client, { key, request: digest, reason: j }),
    'revokeGrant(request)': (j) => moduleClient.revokeGrant(client, { key, request: j, reason: 'r' }),
    'getDataRequest(request)': (j) => moduleClient.getDataRequest(client, j),
    'getAccessLog(dataset)': (j) => moduleClient.getAccessLog(client, j),
    'getAccessLog(options)': (j) => moduleClient.getAccessLog(client, 'd', j),
    'fetchData(parameters)': (j) => moduleClient.fetchData(client, j),
    'fetchData(service)': (j) => moduleClient.fetchData(client, { ...fetchParameters, service: j }),
    'fetchData(replySecret)': (j) => moduleClient.fetchData(client, { ...fetchParameters, replySecret: j }),
    'addAgreementKey(publicKey)': (j) => moduleClient.addAgreementKey(client, { key, did, publicKey: j }),
    'agreementKeyOf(did)': (j) => moduleClient.agreementKeyOf(client, j, 'did'),
    'issueConsent(parameters)': (j) => moduleClient.issueConsent(client, j),
    'issueConsent(statusList)': (j) =>
      moduleClient.issueConsent(client, { ...consentParameters, statusList: j }),
    'issueConsent(validUntil)': (j) =>
      moduleClient.issueConsent(client, { ...consentParameters, validUntil: j }),
    'revokeConsent(consent)': (j) => moduleClient.revokeConsent(client, { key, consent: j }),
    'buildAuditBundle(parameters)': (j) => moduleClient.buildAuditBundle(client, j),
    'buildAuditBundle(datasets)': (j) =>
      j === undefined ? Promise.reject(skip) : moduleClient.buildAuditBundle(client, { datasets: j, trust }),
    'buildAuditBundle(trust)': (j) => moduleClient.buildAuditBundle(client, { datasets: ['d'], trust: j }),
    'requestOpener(secretKey)': (j) => moduleClient.requestOpener(j, { chainId: 'c', chainHash: 'sm3' }),
    'buildAuditBundle(openKey)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : moduleClient.buildAuditBundle(client, { datasets: ['d'], trust, openKey: j }),
    'auditorsAction(dids)': (j) => moduleClient.auditorsAction(j),
    'trustedChainLookup(client)': (j) => moduleClient.trustedChainLookup(j),
    'verifyCredentialWithNode(options)': (j) =>
      j === undefined ? Promise.reject(skip) : moduleClient.verifyCredentialWithNode(client, {}, j),
  };
  Object.assign(calls, dataCalls);

  const partialRequest = { chainId: 'c', request: 'q', commitments: [digest], base: digest };
  const docIssue = { key, issuer: did, type: 'BusinessLicence', subject: did, number: 'L-1' } as const;
  const lcDraft = {
    key,
    mt700: '{1:F01...}',
    issuingOrg: 'bank-i',
    advisingOrg: 'bank-a',
    beneficiary: to,
    calendar: 'CN',
    required: ['BillOfLading' as const],
  };
  const lcRecords = [{ kind: 'BillOfLading' as const, registered: digest }];
  const scfConfirm = {
    key,
    supplier: to,
    amount: 1,
    dueDate: '2030-01-01',
    invoiceDigest: digest,
    reference: 'PO-1',
    chainHash: 'sm3' as const,
  };
  const docRegister = {
    key,
    issuer: did,
    type: 'BusinessLicence',
    number: 'L-1',
    credentialDigest: digest,
  } as const;
  const bytes = new Uint8Array(4);
  const verifiers: Record<string, AnyCall> = {
    'verifyPartial(parameters)': (j) => moduleVerify.verifyPartial(j),
    'verifyPartial(partial)': (j) => moduleVerify.verifyPartial({ ...partialRequest, partial: j }),
    'combinePartials(partials)': (j) =>
      moduleVerify.combinePartials({ ...partialRequest, threshold: 1, partials: j }),
    'combinePartials(threshold)': (j) =>
      moduleVerify.combinePartials({ ...partialRequest, threshold: j, partials: [] }),
    'verifyPrivateValue(parameters)': (j) => moduleVerify.verifyPrivateValue(j),
    'verifyPrivateValue(salt)': (j) =>
      moduleVerify.verifyPrivateValue({
        chainHash: 'sm3',
        collection: 'c',
        key: 'k',
        value: bytes,
        salt: j,
        hash: digest,
      }),
    'verifyDocumentWith(options)': (j) => moduleVerify.verifyDocumentWith({}, j),
    'verifyAuditBundle(bundle)': (j) => moduleVerify.verifyAuditBundle(j, { trust }),
    'verifyAuditBundle(options)': (j) => moduleVerify.verifyAuditBundle({}, j),
    'auditDataset(querier)': (j) =>
      moduleVerify.auditDataset(j, { dataset: 'd', chain: { chainId: 'c', chainHash: 'sm3' } }),
    'auditDataset(options)': (j) => moduleVerify.auditDataset(light, j),
    'auditScope(options)': (j) => moduleVerify.auditScope(light, j),
    'verifyPaillierTotal(parameters)': (j) => moduleVerify.verifyPaillierTotal(j),
    'verifyPaillierTotal(value)': (j) =>
      moduleVerify.verifyPaillierTotal({
        modulus: PAILLIER_N.toString(16),
        total: '01',
        value: j,
        randomness: 1n,
      }),

    'verifyHeader(parameters)': (j) => verify.verifyHeader(j),
    'verifyHeader(genesis)': (j) =>
      verify.verifyHeader({ genesis: j, ...headerResponse(chain.header5, chain.cert5) }),
    'verifyHeader(header)': (j) =>
      verify.verifyHeader({
        ...trust,
        header: j,
        certificate: headerResponse(chain.header5, chain.cert5).certificate,
      }),
    'verifyHeader(certificate)': (j) =>
      verify.verifyHeader({
        ...trust,
        header: headerResponse(chain.header5, chain.cert5).header,
        certificate: j,
      }),
    'verifyStateRead(read)': (j) => verify.verifyStateRead(j, certified()),
    'verifyStateRead(header)': (j) => verify.verifyStateRead(chain.stateRead(new Uint8Array(3)), j),
    'verifyStateRead(key)': (j) =>
      j === undefined
        ? Promise.reject(skip)
        : verify.verifyStateRead(chain.stateRead(new Uint8Array(3)), certified(), j),
    'verifyProvenQuery(response)': (j) => verify.verifyProvenQuery(j, certified()),
    'verifyProvenQuery(header)': (j) => verify.verifyProvenQuery(chain.balanceQuery(chain.aliceAddress), j),
    'verifyTransaction(response)': (j) => verify.verifyTransaction(j, certified()),
    'verifyTransaction(header)': (j) => verify.verifyTransaction(chain.txResponse(0) as never, j),
    'verifyHookReceipt(item)': (j) => verify.verifyHookReceipt(j, certified(), certified6()),
    'verifyHookReceipt(nextHeader)': (j) =>
      verify.verifyHookReceipt({ index: 3, receipt: chain.receipts[0]!, proof: null }, certified(), j),
    'verifyBalanceQuery(response)': (j) =>
      moduleVerify.verifyBalanceQuery(j, certified(), chain.aliceAddress),
    'verifyBalanceQuery(address)': (j) =>
      moduleVerify.verifyBalanceQuery(chain.balanceQuery(chain.aliceAddress), certified(), j),
    'verifyValidatorSet(read)': (j) => moduleVerify.verifyValidatorSet(j, certified(), chain.genesis),
    'verifyValidatorSet(genesis)': (j) =>
      moduleVerify.verifyValidatorSet(chain.stateRead(new Uint8Array(3)), certified(), j),
    'validatorSetCanChange(genesis)': (j) => moduleVerify.validatorSetCanChange(j),
    'didStateFromReads(query)': (j) => moduleVerify.didStateFromReads(j, did),
    'didStateFromReads(did)': (j) => moduleVerify.didStateFromReads({ reads: new Map() }, j),
    'verifyDidResolutionProof(proof)': (j) => moduleVerify.verifyDidResolutionProof(j, certified(), did),
    'verifyLineage(pages)': (j) => moduleVerify.verifyLineage(j, certified(), 'a'),
    'verifyLineage(asset)': (j) =>
      moduleVerify.verifyLineage(chain.balanceQuery(chain.aliceAddress), certified(), j),
    'verifyLineageProof(parameters)': (j) => moduleVerify.verifyLineageProof(j),
    'verifyLineageProof(proof)': (j) => moduleVerify.verifyLineageProof({ proof: j, trust }),
    'verifyLineageProof(trust)': (j) => moduleVerify.verifyLineageProof({ proof: {}, trust: j }),
    'verifyNotaryReceipt(parameters)': (j) => moduleVerify.verifyNotaryReceipt(j),
    'verifyNotaryReceipt(receipt)': (j) => moduleVerify.verifyNotaryReceipt({ receipt: j, trust, digest }),
    'verifyNotaryReceipt(trust)': (j) => moduleVerify.verifyNotaryReceipt({ receipt: {}, trust: j, digest }),
    'parseNotaryReceipt(input)': (j) => moduleVerify.parseNotaryReceipt(j),
    'parseLineageProof(input)': (j) => moduleVerify.parseLineageProof(j),
    'verifyStorageSlot(response)': (j) =>
      moduleVerify.verifyStorageSlot(j, certified(), { address: evmTo, slot: 0 }),
    'verifyStorageSlot(header)': (j) =>
      moduleVerify.verifyStorageSlot(chain.balanceQuery(chain.aliceAddress), j, { address: evmTo, slot: 0 }),
    'verifyStorageSlot(parameters)': (j) =>
      moduleVerify.verifyStorageSlot(chain.balanceQuery(chain.aliceAddress), certified(), j),
    'verifyStorageSlot(slot)': (j) =>
      moduleVerify.verifyStorageSlot(chain.balanceQuery(chain.aliceAddress), certified(), {
        address: evmTo,
        slot: j,
      }),
  };

  /** DID and credential helpers: their own typed errors (`VC_*`, `DID_*`) or SDK_INVALID_ARGUMENT. */
  const helpers: Record<string, AnyCall> = {
    'agreementKeyOfDocument(document)': (j) => moduleClient.agreementKeyOfDocument(j),
    'compileRecordSchema(schema)': (j) => moduleClient.compileRecordSchema(j),
    'consentCredential(terms)': (j) => moduleClient.consentCredential(j),
    'checkConsentScope(consent)': (j) =>
      moduleClient.checkConsentScope(j, { dataset: 'd', requester: to, requesterDid: '' }, {} as never),
    'memberUrn(address)': (j) => moduleClient.memberUrn(j),
    'openRequest(secretKey)': (j) =>
      moduleClient.openRequest(
        j,
        { dataset: 'd', requester: to, sealed: '00', subjectTag: digest, purposeTag: digest },
        {
          chainId: 'c',
          chainHash: 'sm3',
        },
      ),
    'checkCredentialDataModel(credential)': (j) => moduleVerify.checkCredentialDataModel(j),
    'checkPresentationDataModel(presentation)': (j) => moduleVerify.checkPresentationDataModel(j),
    'didKeyDocument(did)': (j) => moduleClient.didKeyDocument(j),
    'didKeyOfChainKey(key)': (j) => moduleClient.didKeyOfChainKey(j),
    'didOf(chainId)': (j) => moduleClient.didOf(j, new Uint8Array(32)),
    'didOf(txHash)': (j) => moduleClient.didOf('c', j),
    'didResolver(options)': (j) => moduleClient.didResolver(j),
    'documentLoader(contexts)': (j) => moduleClient.documentLoader(j, moduleClient.didResolver({})),
    'documentLoader(resolver)': (j) => moduleClient.documentLoader(new Map(), j),
    'fromJwk(jwk)': (j) => moduleClient.fromJwk(j),
    'fromMultibase(text)': (j) => moduleClient.fromMultibase(j),
    'toJwk(key)': (j) => moduleClient.toJwk(j),
    'toMultibase(key)': (j) => moduleClient.toMultibase(j),
    'publicJwk(key)': (j) => moduleClient.publicJwk(j),
    'issueCredential(parameters)': (j) => moduleClient.issueCredential(j),
    'issueSdJwtVc(parameters)': (j) => moduleClient.issueSdJwtVc(j),
    'presentCredentials(parameters)': (j) => moduleClient.presentCredentials(j),
    'presentSdJwtVc(parameters)': (j) => moduleClient.presentSdJwtVc(j),
    'presentSdJwtVc(holderKey)': (j) =>
      moduleClient.presentSdJwtVc({
        credential: 'a.b.c~',
        disclose: [],
        holderKey: j,
        nonce: 'n',
        audience: 'a',
      }),
    'parsePujiangDid(did)': (j) => moduleClient.parsePujiangDid(j),
    'partsFromDocument(json)': (j) => moduleClient.partsFromDocument(j),
    'renderDocument(did)': (j) => moduleClient.renderDocument(j, { controllers: [], methods: [] } as never),
    'renderDocument(parts)': (j) => moduleClient.renderDocument(did, j),
    'singleKeyDocument(key)': (j) => moduleClient.singleKeyDocument(j),
    'proofDigest(proofValue)': (j) => moduleClient.proofDigest(j),
    'sdJwtDigest(credential)': (j) => moduleClient.sdJwtDigest(j),
    'verifyCredential(options)': (j) => moduleClient.verifyCredential({}, j),
    'verifyPresentation(options)': (j) => moduleClient.verifyPresentation({}, j),
    'verifySdJwtVc(options)': (j) => moduleClient.verifySdJwtVc('a.b.c~', j),
    'getMinter(options)': (j) => (j === undefined ? Promise.reject(skip) : moduleClient.getMinter(client, j)),
    'getSectors(options)': (j) =>
      j === undefined ? Promise.reject(skip) : moduleClient.getSectors(client, j),
    'trustOf(trust)': (j) => verify.trustOf(j),
    'certifiedHeaderArgument(header)': (j) => verify.certifiedHeaderArgument(j),
    'objectParameter(value)': (j) => verify.objectParameter(j, 'value'),
    'parseFor(parse)': (j) => verify.parseFor('state-proof', 'x', j),
    'contextRegistry()': () => Promise.reject(skip),
  };

  async function outcome(call: AnyCall, junk: unknown): Promise<unknown> {
    try {
      await call(junk as never);
      return undefined;
    } catch (error) {
      return error;
    }
  }
  const show = (junk: unknown) =>
    typeof junk === 'bigint'
      ? `${junk}n`
      : junk instanceof Uint8Array
        ? 'bytes'
        : (JSON.stringify(junk) ?? String(junk));

  /**
   * Calls every entry of `table` with every malformed value and checks each refusal with
   * `expect`; a value that is valid there (or, with `skipRequests`, that reached the node) is
   * skipped. Returns how many were refused, so a table that silently accepts everything fails.
   */
  async function refusals(
    table: Record<string, AnyCall>,
    expect: (error: PujiangError, what: string) => void,
    skipRequests = false,
  ): Promise<number> {
    let refused = 0;
    for (const [name, call] of Object.entries(table)) {
      for (const junk of JUNK) {
        const requests = server.requests.length;
        const error = await outcome(call, junk);
        if (error === undefined || error === skip) continue;
        if (skipRequests && server.requests.length > requests) continue;
        const what = `${name} with ${show(junk)}`;
        assert.ok(error instanceof PujiangError, `${what}: ${String(error)}`);
        expect(error, what);
        refused++;
      }
    }
    return refused;
  }
  const namesParameter = (error: PujiangError, what: string) => {
    if (error.code === 'SDK_INVALID_ARGUMENT')
      assert.equal(typeof error.details.parameter, 'string', `${what}: no parameter named`);
  };

  it('client calls: SDK_INVALID_ARGUMENT naming the parameter, before any request', async () => {
    const refused = await refusals(
      calls,
      (error, what) => {
        assert.equal(error.code, 'SDK_INVALID_ARGUMENT', `${what}: ${error.code} ${error.message}`);
        namesParameter(error, what);
      },
      true,
    );
    assert.ok(refused > Object.keys(calls).length * (JUNK.length - 5), `refused ${refused}`);
  });

  it('verifiers: a typed refusal for every malformed argument', async () => {
    const refused = await refusals(verifiers, (error, what) => {
      assert.ok(VERIFIER_CODES.has(error.code), `${what}: ${error.code} ${error.message}`);
      namesParameter(error, what);
    });
    assert.ok(refused > Object.keys(verifiers).length * (JUNK.length - 5), `refused ${refused}`);
  });

  it('DID and credential helpers: a typed error for every malformed argument', async () => {
    const refused = await refusals(helpers, () => {});
    assert.ok(refused > Object.keys(helpers).length * (JUNK.length - 8), `refused ${refused}`);
  });

  it('the tables name every exported call and verifier', () => {
    const named = new Set(
      [...Object.keys(calls), ...Object.keys(verifiers), ...Object.keys(helpers)].map((n) => n.split('(')[0]),
    );
    const functions = (m: object) =>
      Object.entries(m)
        .filter(([, v]) => typeof v === 'function' && !/^class\b/.test(String(v)))
        .map(([k]) => k);
    const all = new Set([...functions(moduleClient), ...functions(moduleVerify), ...functions(verify)]);
    const missing = [...all].filter((n) => !named.has(n)).sort();
    assert.deepEqual(missing, []);
  });
});

const skip = Symbol('skip: undefined is a valid value here (the argument is optional)');
