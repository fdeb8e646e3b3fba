import { type Static, Type } from '@sinclair/typebox';
import { Schemas } from './schemas.js';

/**
 * The body of `GET /v1/peers`: what a node knows about the peers of its mesh, for the
 * security monitor and the console. Linked peers with their score and rate-limit drops,
 * peers banned now with the offence that banned them, and the failed checks (signatures,
 * membership) by who failed them (the proven key, or the address of a handshake). Keys are "suite:hex"; times are
 * milliseconds since the epoch (JSON numbers).
 */
const { nat, address } = Schemas;

const peerKey = () =>
  Type.String({ pattern: '^[a-z0-9+-]+:([0-9a-f]{2})+$', description: 'node key, suite:hex' });
const epochMs = (description: string) =>
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });
const score = () =>
  Type.Number({ minimum: 0, description: 'offence score now (decays 5 points/s; banned at 100)' });

/** Who a node key is on this chain, as far as the node's latest state says. */
const PeerIdentityFields = {
  key: peerKey(),
  address: address(),
  organization: Type.Union([Type.String(), Type.Null()], {
    description: "the registered identity's organization (null: not a registered member)",
  }),
  validator: Type.Boolean({ description: 'a validator of the next height' }),
  name: Type.Optional(Type.String({ description: "the validator's name in the set" })),
};

const OffenceCounts = Type.Record(Type.String(), nat(), {
  description: 'offences reported against the peer since this node started, by type',
});

export const PeerJsonSchema = Type.Object({
  ...PeerIdentityFields,
  endpoint: Type.Union([Type.String(), Type.Null()], {
    description: 'host:port of the link (null: unknown)',
  }),
  initiator: Type.Boolean({ description: 'this node dialed the link' }),
  connectedAt: epochMs('when the link opened'),
  score: score(),
  drops: nat('messages dropped by the rate limits'),
  offences: OffenceCounts,
});

export const BannedPeerSchema = Type.Object({
  ...PeerIdentityFields,
  reason: Type.String({ description: 'the offence that reached the ban score' }),
  score: score(),
  since: epochMs('when the ban began'),
  until: epochMs('when the ban ends'),
  bans: nat('times this peer was banned since this node started'),
});

/** A failed check by its source: a handshake or message signature that did not verify, or a key that is not a member. */
export const FailedCheckSchema = Type.Object({
  source: Type.String({
    description:
      'who failed the check: the node key (suite:hex) once a link proved it, else the remote IP address (a handshake failure: the key it claimed proves nothing)',
  }),
  address: Type.Union([address(), Type.Null()]),
  check: Type.Union([Type.Literal('signature'), Type.Literal('membership')]),
  where: Type.String({ description: 'handshake (source is an address), consensus, block or tx' }),
  count: nat(),
  lastAt: epochMs('the latest failure'),
});

export const PeersSchema = Type.Object(
  {
    nodeKey: peerKey(),
    at: epochMs('when this answer was computed'),
    peers: Type.Array(PeerJsonSchema),
    banned: Type.Array(BannedPeerSchema),
    failedChecks: Type.Array(FailedCheckSchema),
    refusedConnections: Type.Record(Type.String(), nat(), {
      description: 'connections refused before a key was proven (admission caps, handshake errors), by code',
    }),
    totals: Type.Object({
      bans: nat('bans since this node started'),
      drops: nat('messages dropped by the rate limits'),
      signatureFailures: nat(),
      membershipRefusals: nat(),
    }),
  },
  { $id: 'Peers' },
);

export type PeerJson = Static<typeof PeerJsonSchema>;
export type BannedPeerJson = Static<typeof BannedPeerSchema>;
export type FailedCheckJson = Static<typeof FailedCheckSchema>;
export type PeersResponse = Static<typeof PeersSchema>;
