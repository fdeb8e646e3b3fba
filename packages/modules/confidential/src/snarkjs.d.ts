// snarkjs ships no type declarations: its API is used through narrow casts.
declare module 'snarkjs';
