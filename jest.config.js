/** Unit specs sit beside the code (*.spec.ts); end-to-end suites under apps/api/test (*.e2e-spec.ts). */
module.exports = {
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // fhir-kit-client (the client-compatibility suite) ships ES modules only; jest runs CommonJS.
    '/node_modules/fhir-kit-client/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, esModuleInterop: true, module: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!fhir-kit-client/)'],
  moduleNameMapper: {
    '^@hdp/(.*)$': '<rootDir>/libs/$1/src',
    // Its package exports only an `import` condition, which jest's CommonJS resolver does not take.
    '^fhir-kit-client$': '<rootDir>/node_modules/fhir-kit-client/dist/index.js',
  },
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
};
