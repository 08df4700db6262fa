import { describe, expect, it } from 'vitest';
import { sourceFiles, type SourceFile } from './source-writers.ts';

// Ids and tokens come from the context's randomness through one module (#16 item 4):
// src/app/shared/ids.ts. A direct randomUUID() cannot be scripted by tests, and a copied token
// recipe drifts (size, encoding). Other sizes stay with their one purpose (TOTP secrets, one-time
// passwords, the lottery draw, a branch id's suffix), so only these two forms are looked for.
const OWNER = 'src/app/shared/ids.ts';
const FORBIDDEN = [/\brandomUUID\s*\(/g, /\brandomBytes\(\s*32\s*\)\s*\)?\s*\.toString\b/g];

function hits(files: SourceFile[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const lines = file.text.split('\n');
    for (const pattern of FORBIDDEN) {
      for (const m of file.text.matchAll(pattern)) {
        const line = file.text.slice(0, m.index).split('\n').length;
        out.push(`${file.path}:${line}: ${lines[line - 1]!.trim()}`);
      }
    }
  }
  return out.sort();
}

describe('ids and tokens have one maker', () => {
  const files = [...sourceFiles('src/app'), ...sourceFiles('src/sync')];

  it('no module of src/app or src/sync calls randomUUID( or makes a 32-byte token itself', () => {
    expect(hits(files.filter((f) => f.path !== OWNER))).toEqual([]);
  });

  it("sees the owner's own token recipe (a pattern that matched nothing would pass vacuously)", () => {
    expect(hits(files.filter((f) => f.path === OWNER))).toHaveLength(1);
  });
});
