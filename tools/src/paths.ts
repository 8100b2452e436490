import { resolve } from 'node:path';

/** The repository root (tools/dist/… → ../..). */
export const repoRoot = resolve(__dirname, '..', '..');
