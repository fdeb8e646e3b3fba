/**
 * What a peer can do wrong, as the node reports it to the peer network, and what each costs
 * the peer's score. Every offence is something an honest peer never sends: a message that
 * does not decode, a consensus message or transaction with a forged signature, a block whose
 * body or certificate is false, or more traffic than the rate limits allow.
 */
export type PeerOffence = 'undecodable' | 'invalid-signature' | 'invalid-block' | 'invalid-tx' | 'flood';

/** Score points per offence; a peer reaching `BAN_SCORE` is disconnected and banned for a while. */
export const OFFENCE_PENALTY: Readonly<Record<PeerOffence, number>> = {
  undecodable: 25,
  'invalid-signature': 25,
  'invalid-block': 50,
  'invalid-tx': 10,
  flood: 100,
};

export const BAN_SCORE = 100;
