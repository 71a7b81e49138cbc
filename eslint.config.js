// ESLint flat config: typescript-eslint with type-checked rules, import boundaries and no cycles.
// Formatting is Prettier's (npm run format:check); eslint-config-prettier turns off what it decides.
// typescript-eslint reads types through the TypeScript 6 API (the `typescript` package); the
// compiler the build and `npm run typecheck` use is TypeScript 7 (`typescript7`).
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import importX from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'
import { readdirSync } from 'node:fs'

const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

export default tseslint.config(
  { ignores: ['src/generated/**', 'dist/**', 'node_modules/**', 'public/**', 'coverage/**', 'test-results/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSNonNullExpression > MemberExpression[object.name="req"][property.name="user"]',
          message: 'Use principal(req) from src/web/principal.ts.',
        },
        // A row of a page built as `{ ...row, name }` is off V8's fast path (src/shared/withFields.ts).
        ...[
          'CallExpression[callee.property.name="map"] > ArrowFunctionExpression > ObjectExpression > SpreadElement ~ Property',
          'CallExpression[callee.property.name="map"] > ArrowFunctionExpression > BlockStatement > ReturnStatement > ObjectExpression > SpreadElement ~ Property',
        ].map((selector) => ({ selector, message: 'Use withFields(row, { … }) from src/shared/withFields.ts: a property after a spread is slow in V8.' })),
      ],
    },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
  },
  // Boundaries: a feature imports src/domain, src/db, src/web, src/policy, src/i18n, src/shared, the
  // top-level files (config, errors, paths, services types) and its own folder, never another feature.
  ...features.map((feature) => ({
    files: [`src/features/${feature}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^\\.\\./(?!${feature}/)[^.][^/]*/`,
              message: `A feature imports only its own folder and src/{domain,db,web,policy,i18n,shared}: move shared code to src/shared.`,
            },
            { regex: '^\\.\\./\\.\\./middleware/', message: 'Features do not import middleware: use src/web.' },
          ],
        },
      ],
    },
  })),
  // The layers below the features never import a feature.
  {
    files: ['src/domain/**/*.ts', 'src/db/**/*.ts', 'src/web/**/*.ts', 'src/policy/**/*.ts', 'src/shared/**/*.ts', 'src/i18n/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)features/', message: 'Shared layers never import a feature.' }] }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)(features|shared|web|policy|middleware|db)/', message: 'The domain core depends on nothing but the generated types and errors.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'scripts/**/*.ts', '*.config.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  // Plain-JavaScript files run on Node (the config itself, scripts/*.mjs): its globals.
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  prettier,
)
