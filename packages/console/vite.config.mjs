// The console's build: `npm run build` runs it after tsc, into dist/app, which each node serves
// at /console/. Vite transforms TSX with Preact's JSX runtime; nothing is fetched at build time.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    // The verification libraries (SM2, ML-DSA, Merkle proofs) are one chunk of their own, loaded with the first page.
    chunkSizeWarningLimit: 1200,
  },
});
