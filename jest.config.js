/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Resolve src/*.ts before any compiled src/*.js next to it (stale tsc output must never shadow the source).
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'jsx', 'json', 'node'],
  // examples/ import the package by name, as users do; tests run them against src/.
  moduleNameMapper: { '^keratorch$': '<rootDir>/src/index.ts', '^keratorch/plan-server$': '<rootDir>/src/cli/serve_app.ts' },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
};
