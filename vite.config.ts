// Builds the admin console (console/) into console/dist, served by the API at /console.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const repo = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('./console', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The API's Content-Security-Policy allows no inline code: keep every asset a file.
    assetsInlineLimit: 0,
  },
  server: {
    // `npx vite` for UI work against a running `npm run dev` stack; the console only ever talks to /v1.
    proxy: { '/v1': 'http://127.0.0.1:3000' },
    // The console shares the status vocabulary with the workflow (workflows/model.ts).
    fs: { allow: [repo] },
  },
});
