/**
 * The data module's error codes, on chain and in the data service (`GET /v1/modules`
 * publishes them), each with what it means.
 */
export const DATA_ERRORS = {
  DATA_BAD_AUDITORS: 'the auditors parameter is malformed',
  DATA_BAD_DATASET: 'a dataset field is malformed',
  DATA_BAD_PERIOD: 'a request or grant period is out of range',
  DATA_BAD_POLICY: "a dataset's grant policy is malformed",
  DATA_BAD_QUERY: 'a query parameter is malformed',
  DATA_BAD_REQUEST: 'a data request is malformed',
  DATA_BAD_SCHEMA: "a dataset's schema is not a JSON Schema object",
  DATA_CONSENT_INVALID: "the subject's consent does not verify, or does not cover the request",
  DATA_CONSENT_REQUIRED: "restricted data needs the subject's consent, record by record",
  DATA_CONSENT_REVOKED: 'the subject revoked its consent',
  DATA_EXISTS: 'the dataset exists',
  DATA_GRANT_EXPIRED: 'the grant expired',
  DATA_GRANT_REVOKED: 'the grant was revoked',
  DATA_LEGAL_BASIS: 'the dataset is not shared under that legal basis',
  DATA_NOT_AUTHORIZED: 'the sender may not act for that DID or request',
  DATA_NOT_GRANTED: 'the request was not granted',
  DATA_NOT_MEMBER: 'the sender is not a valid member identity',
  DATA_NOT_PENDING: 'the request was decided already',
  DATA_NOT_RECIPIENT: 'the request is not sealed to this key (its terms are not this party’s to read)',
  DATA_NOT_STEWARD: "only the dataset's steward may do this",
  DATA_RECORD_INVALID: "a record does not match its dataset's schema",
  DATA_RECORD_NOT_FOUND: 'the data service holds no record for that subject',
  DATA_SEAL_RECIPIENTS: 'the request is not sealed to every auditor and its subject',
  DATA_SEAL_MISMATCH: "the sealed envelope does not open, or does not match the request's tags",
  DATA_SERVICE_UNAVAILABLE: 'the data service cannot reach its node or its data',
  DATA_UNKNOWN: 'there is no such dataset or request',
  DATA_VERSION_CONFLICT: 'the dataset is not at the version the update names',
  DATA_WRONG_SIGNER: 'the fetch is not signed by the requester',
} as const;
export type DataErrorCode = keyof typeof DATA_ERRORS;
