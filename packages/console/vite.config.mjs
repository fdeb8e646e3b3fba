// The console's build: `npm run build` runs it after tsc, into dist/app, which each node serves
// at /console/. Vite transforms TSX with Preact's JSX runtime; nothing is fetched at build time.
import { createLogger, defineConfig } from 'vite';

// sm-crypto-v2 and http-message-signatures name Node's `crypto` for code paths a page never
// takes (the browser entries use Web Crypto and @noble): Vite's notice that it left them out is
// expected, so it is not repeated on every build. Every other warning still shows.
const logger = createLogger('warn');
const warn = logger.warn;
logger.warn = (message, options) => {
  if (/has been externalized for browser compatibility/.test(message)) return;
  warn(message, options);
};

export default defineConfig({
  base: '/console/',
  logLevel: 'warn',
  customLogger: logger,
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
