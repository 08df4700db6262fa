import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['src/domain/**/*.ts'],
    rules: {
      // The domain is pure: no I/O, no clock, nothing from the adapters.
      'no-restricted-imports': ['error', { patterns: ['node:*', '../db/*', '../app/*', '../http/*', '../notify/*', '../sync/*', 'pg', 'kysely', '@electric-sql/*'] }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now' }, { object: 'Temporal', property: 'Now' }],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
