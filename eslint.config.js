// ESLint flat config. Besides the usual rules it enforces the layering (see README "Architecture"):
//   shared/   pure TypeScript: no Node built-ins, no Electron, no DOM globals, no React
//   renderer/ imports shared/ only (never electron/, never Node or Electron modules)
//   electron/ imports shared/, never renderer/; only main/ and preload/ may import 'electron'
//   raw ipcMain only in electron/main/ipc/handle.ts, ipcRenderer only in the preload,
//   shell.openExternal and shell.openPath only in electron/main/security.ts
import { builtinModules } from 'node:module';

import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noDefaultExport = {
  selector: 'ExportDefaultDeclaration',
  message: 'Use named exports: one name per thing, the same at every import.',
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', '.scratch/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      'no-restricted-syntax': ['error', noDefaultExport],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      // Prettier wraps code at 120 but leaves strings and comments whole: this keeps every line ≤ 140.
      // A regex literal cannot be split (its alternatives are one pattern), nor can a URL.
      'max-len': ['error', { code: 140, tabWidth: 2, ignoreUrls: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'shared/ is pure TypeScript: no Node built-ins.' })),
            { name: 'electron', message: 'shared/ must not import Electron.' },
            { name: 'react', message: 'shared/ must not import React.' },
            { name: 'react-dom', message: 'shared/ must not import React.' },
          ],
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ imports nothing from electron/ or renderer/.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'sessionStorage',
          'fetch',
          'process',
          'Buffer',
          'require',
          '__dirname',
          'TextEncoder',
          'TextDecoder',
        ].map((name) => ({ name, message: 'shared/ runs everywhere: no DOM or Node globals.' })),
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer is a web page: no Node built-ins.' })),
            { name: 'electron', message: 'The renderer talks to main only through window.api (lib/ipc.ts).' },
          ],
          patterns: [{ group: ['**/electron/**'], message: 'renderer/ imports shared/ only, never electron/.' }],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: "Only electron/main and electron/preload may import 'electron'; services stay Electron-free.",
            },
          ],
          patterns: [{ group: ['**/renderer/**'], message: 'electron/ never imports renderer/.' }],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'shell',
          property: 'openExternal',
          message: 'Use openExternalSafely() from electron/main/security.ts.',
        },
        {
          object: 'shell',
          property: 'openPath',
          message: 'Use openFolderSafely() from electron/main/security.ts.',
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain'],
              message: 'Only electron/main/ipc/handle.ts touches ipcMain.',
            },
            { name: 'electron', importNames: ['ipcRenderer'], message: 'Only the preload touches ipcRenderer.' },
          ],
          patterns: [{ group: ['**/renderer/**'], message: 'electron/ never imports renderer/.' }],
        },
      ],
    },
  },
  {
    files: ['electron/main/ipc/handle.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', importNames: ['ipcRenderer'], message: 'Only the preload touches ipcRenderer.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'electron/ never imports renderer/.' }],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain'],
              message: 'Only electron/main/ipc/handle.ts touches ipcMain.',
            },
          ],
          patterns: [
            {
              group: ['**/renderer/**', '**/electron/main/**'],
              message: 'The preload imports shared/ipc/channels only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/security.ts'],
    rules: { 'no-restricted-properties': 'off' }, // the one sanctioned caller of shell.openExternal and shell.openPath
  },
  {
    files: ['test/**/*.{ts,tsx}', 'scripts/**/*.{js,mjs}', 'bin/**/*.cjs', '*.config.{js,ts,cjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-restricted-syntax': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
