import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer bundle, shared by the desktop app (served from app://) and browser mode.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
  },
});
