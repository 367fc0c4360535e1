// Vite builds the renderer into out/renderer. base './' makes every asset URL
// relative, so the same build loads from file:// in Electron and from the
// browser-mode server; Vite emits module scripts as separate files (no inline
// script), so index.html's CSP can forbid inline scripts.
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const devServer = process.env.VGLAB_SERVER ?? 'http://127.0.0.1:5174';

export default defineConfig({
  root,
  base: './',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    // The module-preload polyfill would be an inline script; every browser we target has modulepreload.
    modulePreload: { polyfill: false },
    // Workers and fonts stay files, never data: URLs the CSP would have to allow.
    assetsInlineLimit: 0,
    target: 'es2022',
    // ECharts and zod (the shared schemas) are most of it; one local file, so no split is needed.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npm run dev:renderer` next to `vglab serve`: the WebSocket goes to the real server.
    // VGLAB_SERVER: the address `vglab serve --port N` printed (without the token). The
    // server accepts only its own Host and Origin (DNS rebinding), so the proxy presents
    // the socket as coming from the server's own page; the token is still required.
    proxy: {
      '/ws': {
        target: devServer,
        ws: true,
        changeOrigin: true,
        configure: (proxy) => {
          proxy.on('proxyReqWs', (request) => request.setHeader('origin', new URL(devServer).origin));
        },
      },
    },
  },
});
