import { defineMessage, defineModule, defineQuery } from '@pujiang/module-kit';
import {
  AmendDocument,
  DOCS_MODULE,
  RegisterDocument,
  SetDocumentStatus,
  SurrenderDocument,
  TransferDocument,
} from '../formats.js';
import { byFileAnswer, documentAnswer, holdersAnswer } from '../records.js';
import { ByFileQuery, DocumentQuery, HoldersQuery } from '../schemas.js';
import { docsExports } from './exports.js';
import { surrender, transfer } from './holding.js';
import { amend, register, setStatus } from './register.js';

/**
 * Electronic documents and licences (docs/documents.md): the registry of documents issued as
 * verifiable credentials by agencies acting for their DIDs, each file notarized through the
 * notary module; status (suspended, revoked, superseded by an amendment); transferable
 * documents with one holder at a time, moved and surrendered only by that holder.
 */
export const docs = defineModule({
  name: DOCS_MODULE,
  summary: 'Electronic documents and licences: a registry of issued credentials, their files and status',
  errors: {
    DOCS_BAD_AMENDMENT:
      "an amendment must be an active document of the same issuer and type (a transferable one: held by the old one's holder, never transferred)",
    DOCS_BAD_DOCUMENT: 'a registration is malformed (type, DIDs, number, digests, transferability)',
    DOCS_BAD_HOLDER: 'a holder is missing, not a valid member identity, or the current holder',
    DOCS_BAD_QUERY: 'a query parameter is malformed',
    DOCS_BAD_STATUS: 'the document has that status already',
    DOCS_DUPLICATE: "the issuer's number of that type, or the file, backs a document the issuer registered",
    DOCS_HOLDER_CONSENT:
      "amending a transferable document needs its current holder's signature (sender or endorser)",
    DOCS_NOT_HOLDER: 'only the current holder transfers or surrenders the document',
    DOCS_NOT_ISSUER: "the sender may not act for the document's issuer DID",
    DOCS_NOT_TRANSFERABLE: 'the document is not a transferable record',
    DOCS_REVOKED: 'the document is revoked (final)',
    DOCS_SUPERSEDED: 'the document was superseded by an amendment (final)',
    DOCS_SURRENDERED: 'the document was surrendered (final)',
    DOCS_SUSPENDED: 'the document is suspended',
    DOCS_UNKNOWN: 'there is no such document',
  },
  events: {
    registered: ['id', 'type', 'issuer', 'number', 'holder'],
    statusChanged: ['id', 'status', 'by'],
    amended: ['id', 'newId', 'by'],
    transferred: ['id', 'from', 'to', 'seq'],
    surrendered: ['id', 'by'],
  },
  imports: { did: ['actsFor'], governance: ['identityOf'], notary: ['anchorFor'] },
  exports: docsExports,
  messages: {
    register: defineMessage(RegisterDocument, register),
    setStatus: defineMessage(SetDocumentStatus, setStatus),
    amend: defineMessage(AmendDocument, amend),
    transfer: defineMessage(TransferDocument, transfer),
    surrender: defineMessage(SurrenderDocument, surrender),
  },
  queries: {
    document: defineQuery({
      ...DocumentQuery,
      run: (read, { id }) => ({ document: documentAnswer(read, id) }),
    }),
    byFile: defineQuery({
      ...ByFileQuery,
      run: (read, { issuer, digest }) => ({ document: byFileAnswer(read, issuer, digest) }),
    }),
    holders: defineQuery({
      ...HoldersQuery,
      run: (read, { id, from, limit }) => holdersAnswer(read, id, from ?? 0, limit),
    }),
  },
});
