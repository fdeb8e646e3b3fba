import { iso20022Error, refusingOthers } from './errors.js';
import { customerTransferNode, groupHeaderNode, institutionTransferNode } from './from-model.js';
import type { Iso20022Message, Pacs008Message, Pacs009Message } from './model.js';
import { groupHeaderPath, PACS008_ROOT, PACS009_ROOT, transactionPath } from './paths.js';
import { checkCustomerTransfer, checkInstitutionTransfer } from './rules.js';
import {
  type ElementDecl,
  PACS008_DOCUMENT,
  PACS008_NAMESPACE,
  PACS009_DOCUMENT,
  PACS009_NAMESPACE,
} from './schema.js';
import { customerTransferOf, groupHeaderOf, institutionTransferOf } from './to-model.js';
import { checkElement } from './tree-check.js';
import { node, type XNode } from './xml-node.js';
import { readXml } from './xml-read.js';
import { writeDocument } from './xml-write.js';

/** The two messages: namespace, message element, declarations, model reading and rules. */
const PACS008 = {
  type: 'pacs.008.001.08',
  namespace: PACS008_NAMESPACE,
  root: PACS008_ROOT,
  element: 'FIToFICstmrCdtTrf',
  document: PACS008_DOCUMENT,
} as const;
const PACS009 = {
  type: 'pacs.009.001.08',
  namespace: PACS009_NAMESPACE,
  root: PACS009_ROOT,
  element: 'FICdtTrf',
  document: PACS009_DOCUMENT,
} as const;

function checked(document: XNode, decl: ElementDecl): XNode {
  checkElement(document, decl, 'Document');
  return document.children[0]!;
}

function toPacs008(document: XNode): Pacs008Message {
  const message = checked(document, PACS008.document);
  const tx = transactionPath(PACS008.root);
  const transaction = customerTransferOf(message.children[1]!, tx);
  checkCustomerTransfer(transaction, tx);
  return { type: PACS008.type, groupHeader: groupHeaderOf(message.children[0]!), transaction };
}

function toPacs009(document: XNode): Pacs009Message {
  const message = checked(document, PACS009.document);
  const tx = transactionPath(PACS009.root);
  const transaction = institutionTransferOf(message.children[1]!, tx);
  checkInstitutionTransfer(transaction, tx);
  return { type: PACS009.type, groupHeader: groupHeaderOf(message.children[0]!), transaction };
}

const WRONG_NAMESPACE = `the namespace must be ${PACS008_NAMESPACE} or ${PACS009_NAMESPACE}`;

/**
 * `parseIso20022(xml)`: a pacs.008.001.08 or pacs.009.001.08 Document (UTF-8 text or bytes,
 * at most 64 KiB, no business application header) to its model, told apart by namespace.
 * Anything outside the supported CBPR+ subset is `SETTLE_ISO20022_INVALID` with
 * `details.path` (the element or attribute) and `details.rule`; never another exception.
 */
export function parseIso20022(xml: string | Uint8Array): Iso20022Message {
  return refusingOthers('Document', () => {
    const { namespace, root } = readXml(xml);
    if (namespace === PACS008_NAMESPACE) return toPacs008(root);
    if (namespace === PACS009_NAMESPACE) return toPacs009(root);
    throw iso20022Error('Document/@xmlns', WRONG_NAMESPACE, namespace);
  });
}

/** `parsePacs008(xml)`: as `parseIso20022`, refusing anything but pacs.008.001.08. */
export function parsePacs008(xml: string | Uint8Array): Pacs008Message {
  return refusingOthers('Document', () => {
    const { namespace, root } = readXml(xml);
    if (namespace !== PACS008_NAMESPACE)
      throw iso20022Error('Document/@xmlns', `the namespace must be ${PACS008_NAMESPACE}`, namespace);
    return toPacs008(root);
  });
}

/** `parsePacs009(xml)`: as `parseIso20022`, refusing anything but pacs.009.001.08. */
export function parsePacs009(xml: string | Uint8Array): Pacs009Message {
  return refusingOthers('Document', () => {
    const { namespace, root } = readXml(xml);
    if (namespace !== PACS009_NAMESPACE)
      throw iso20022Error('Document/@xmlns', `the namespace must be ${PACS009_NAMESPACE}`, namespace);
    return toPacs009(root);
  });
}

/**
 * `formatPacs008(model)`: the canonical XML of a model (see `writeDocument`), after the same
 * checks a parsed message passes, so what is written always parses back to the same model.
 */
export function formatPacs008(model: Pacs008Message): string {
  return refusingOthers(PACS008.root, () => {
    if (model?.type !== PACS008.type)
      throw iso20022Error('Document', `the model type must be ${PACS008.type}`);
    const tx = transactionPath(PACS008.root);
    const header = groupHeaderNode(model?.groupHeader, groupHeaderPath(PACS008.root));
    const message = node(PACS008.element, [header, customerTransferNode(model?.transaction, tx)]);
    checkElement(node('Document', [message]), PACS008.document, 'Document');
    checkCustomerTransfer(model.transaction, tx);
    return writeDocument(PACS008.namespace, message);
  });
}

/** `formatPacs009(model)`: as `formatPacs008`, for pacs.009.001.08. */
export function formatPacs009(model: Pacs009Message): string {
  return refusingOthers(PACS009.root, () => {
    if (model?.type !== PACS009.type)
      throw iso20022Error('Document', `the model type must be ${PACS009.type}`);
    const tx = transactionPath(PACS009.root);
    const header = groupHeaderNode(model?.groupHeader, groupHeaderPath(PACS009.root));
    const message = node(PACS009.element, [header, institutionTransferNode(model?.transaction, tx)]);
    checkElement(node('Document', [message]), PACS009.document, 'Document');
    checkInstitutionTransfer(model.transaction, tx);
    return writeDocument(PACS009.namespace, message);
  });
}

/** `formatIso20022(model)`: either message, by its `type`. */
export function formatIso20022(model: Iso20022Message): string {
  if (model?.type === 'pacs.008.001.08') return formatPacs008(model);
  if (model?.type === 'pacs.009.001.08') return formatPacs009(model);
  throw iso20022Error('Document', 'the model type must be pacs.008.001.08 or pacs.009.001.08');
}
