/** Unit specs sit beside the code (*.spec.ts); end-to-end suites under apps/api/test (*.e2e-spec.ts). */
module.exports = {
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: { '^@hdp/(.*)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
};
