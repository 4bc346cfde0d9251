// Builds the window into dist/renderer, which the hub serves and the Electron shell loads.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2023',
    // One chunk, loaded from the hub on the same machine: its size costs no network, so Vite's 500 kB warning is moot.
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev:renderer` against a hub on the default port: the dev server forwards API calls and the WebSocket.
    proxy: {
      '/api': 'http://127.0.0.1:8765',
      '/ws': { target: 'ws://127.0.0.1:8765', ws: true },
      '/login': 'http://127.0.0.1:8765',
    },
  },
});
