// snarkjs ships no type declarations.
declare module 'snarkjs';
