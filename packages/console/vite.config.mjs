// The console's build: `npm run build` runs it after tsc, into dist/app, which each node serves
// at /console/. Vite transforms TSX with Preact's JSX runtime; nothing is fetched at build time.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // `npx vite` serves the sources and passes the API through to a running node (PUJIANG_NODE).
  server: { proxy: { '/v1': { target: process.env.PUJIANG_NODE ?? 'http://127.0.0.1:26657', ws: true } } },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    // The verification libraries (SM2, ML-DSA, Merkle proofs) are one chunk of their own, loaded with the first page.
    chunkSizeWarningLimit: 1200,
  },
});
