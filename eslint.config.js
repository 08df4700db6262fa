import fs from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// Boundaries between the layers (docs/architecture.md §1, issue #16). Patterns are gitignore-style
// and match the import specifier, so '**/db/**' holds for '../db/x.ts' and '../../db/x.ts' alike,
// however deep the importing file sits.

/** The adapters and entry points: they import app, never the reverse. */
const ADAPTERS = ['**/http/**', '**/notify/**', '**/sync/**', '**/cli/**', '**/cli.ts', '**/serve.ts', '**/bootstrap.ts'];
/** The capability folders of src/app (all but shared), read from disk so a new one is fenced too. */
const CAPABILITIES = fs
  .readdirSync(path.join(import.meta.dirname, 'src/app'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'shared')
  .map((entry) => entry.name);

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'coverage', 'test-results', 'dist'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Metrics go through one adapter (src/http/metrics/metrics-registry.ts); the app counts through
    // ctx.metrics (issue 23, item 1). Log lines go through src/logger.ts (item 2).
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/http/metrics/**', 'src/logger.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'prom-client', message: 'Count through ctx.metrics; only src/http/metrics uses prom-client.' },
            { name: 'pino', message: 'Log through src/logger.ts (masking, one format).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      // The domain is pure: no I/O, no clock, nothing from the adapters.
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', '**/db/**', '**/app/**', ...ADAPTERS, 'pg', 'kysely', '@electric-sql/*', 'prom-client'] },
      ],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now' }, { object: 'Temporal', property: 'Now' }],
    },
  },
  {
    // No import cycles between files. `import type` does not count (the rule skips it), but src has
    // none of those either since the counter cut (#16).
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // Without these, import-x skips .ts/.tsx files when it follows imports, and finds no cycle at all.
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    ignores: ['src/app/shared/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ADAPTERS, message: 'app is called by the adapters and never imports them.' }] },
      ],
    },
  },
  {
    // shared is what every capability may use, so it uses none of them; it only names the type of
    // the counter's afterApply hook (context.ts), from a file of types.
    files: ['src/app/shared/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ADAPTERS, message: 'app is called by the adapters and never imports them.' },
            {
              group: [...CAPABILITIES.map((c) => `**/${c}/**`), '!**/counter/counter-outcome.ts'],
              message: 'shared imports no capability.',
            },
            {
              group: ['**/counter/counter-outcome.ts'],
              allowTypeImports: true,
              message: 'shared may name the counter outcome types, nothing more.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/app/*.{ts,tsx}'],
    ignores: ['src/app/app-context.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Program', message: 'A file in src/app lives in a capability folder (src/app/<capability>/).' },
      ],
    },
  },
  {
    files: ['src/http/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/db/**'], allowTypeImports: true, message: 'http reads and writes through app; from db it takes types only.' },
            { group: ['kysely'], allowTypeImports: true, message: 'http builds no queries: call the use case in app.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/db/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/**', '**/http/**', '**/notify/**', '**/sync/**'],
              message: 'db is used by the layers above it and imports none of them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
