import { describe, expect, it } from 'vitest';
import { sourceFiles } from './source-writers.ts';

// KERN UX draws a select's arrow on its wrapper, not on the element: several staff selects showed no
// arrow at all, so nothing told a clerk they could open them (#19, quality). Every <select> in the
// pages sits directly in a `kern-form-input__select-wrapper`.

describe('selects in the pages', () => {
  it('each sits in KERN’s select wrapper, which draws the arrow', () => {
    const bare: string[] = [];
    for (const file of sourceFiles('src/http').filter((f) => f.path.endsWith('.tsx'))) {
      const lines = file.text.split('\n');
      lines.forEach((line, i) => {
        if (!/<select\b/.test(line)) return;
        if (!/kern-form-input__select-wrapper/.test(lines[i - 1] ?? '')) bare.push(`${file.path}:${i + 1}`);
      });
    }
    expect(bare).toEqual([]);
  });
});
