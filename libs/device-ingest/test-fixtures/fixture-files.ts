import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Raw text of a MedTech sample file from the shared fixtures beside the clone (`../shared/fixtures/medtech`). */
export function readMedTechFixture(name: string): string {
  return readFileSync(resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'medtech', name), 'utf8');
}

/** Raw text of one of this lib's own test fixtures. */
export function readOwnFixture(name: string): string {
  return readFileSync(resolve(__dirname, name), 'utf8');
}

/** Parses a JSON fixture that may start with a UTF-8 byte-order mark. */
export function parseJson(text: string): unknown {
  return JSON.parse(text.replace(/^\uFEFF/, ''));
}
