// SPDX-License-Identifier: GPL-2.0-only
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'execa', message: 'Only src/lib/exec/runner.ts may import execa: use the Runner.' },
          { name: 'simple-git', message: 'Only src/lib/git/git.ts may import simple-git: use the Git module.' },
        ],
      }],
    },
  },
  { files: ['src/lib/exec/runner.ts'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['src/lib/git/git.ts'], rules: { 'no-restricted-imports': 'off' } },
);
