export { TestDatabase, testEngineUrl } from './test-database';
