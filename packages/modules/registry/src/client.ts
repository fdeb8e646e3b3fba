// Every module's client calls; the SDK re-exports this entry whole.
export * from '@pujiang/module-bank/client';
export * from '@pujiang/module-did/client';
export * from '@pujiang/module-governance/client';
export * from '@pujiang/module-notary/client';
