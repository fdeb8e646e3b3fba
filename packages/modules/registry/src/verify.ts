// Every module's offline verifiers (browser-safe); the SDK and @pujiang/sdk/verify re-export this entry whole.
export * from '@pujiang/module-bank/verify';
export * from '@pujiang/module-did/verify';
export * from '@pujiang/module-governance/verify';
export * from '@pujiang/module-notary/verify';
