/**
 * Builds the console into dist/console, which Touchpoint serves at `/`
 * (src/http/console.ts). Everything is bundled: no fonts, scripts or styles
 * from other hosts. `npx vite --config console/vite.config.ts` serves it with
 * hot reload against a Touchpoint on localhost:4000.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.TOUCHPOINT_URL ?? 'http://localhost:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/api': api, '/v1': api } },
});
