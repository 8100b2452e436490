/**
 * One jest run for the whole workspace. Sources are transpiled by ts-jest (type-checking is
 * the build's job: `npm test` runs `tsc -b` first), and workspace packages map to their
 * sources so a test never runs stale `dist/` code.
 *
 * Projects:
 *   unit         *.spec.ts next to the code: pure, no database, no broker
 *   integration  *.int.spec.ts: one service against SQLite (or PostgreSQL when
 *                TEST_DATABASE=postgres) and a real Mokapi broker
 *   e2e          *.e2e.spec.ts: the built apps as processes behind the gateway
 */
const moduleNameMapper = require('./jest.module-map.json');

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleNameMapper,
  rootDir: __dirname,
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

module.exports = {
  // jest-circus reads the timeout from the global config only; integration and e2e tests start
  // brokers and processes, so the global value is generous and unit tests stay fast anyway
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,apps,tools}/**/*.spec.ts'], testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$', '/node_modules/'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{libs,apps,tools}/**/*.int.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/{libs,apps,tools}/**/*.e2e.spec.ts'] },
  ],
};
