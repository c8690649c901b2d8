import { describe, expect, it } from 'vitest';
import { capList } from '../../lambdas/core/cap';
import { parseExecutionInput } from '../../lambdas/core/workflow/input';

describe('capList: lists in messages stay short', () => {
  it.each([
    [[], 10, ''],
    [['a'], 10, 'a'],
    [['a', 'b', 'c'], 3, 'a, b, c'],
    [['a', 'b', 'c', 'd'], 3, 'a, b, c … and 1 more'],
  ])('capList(%j, %i) is %j', (items, max, expected) => {
    expect(capList(items, max)).toBe(expected);
  });

  it('names ten of 5,000 items, counts the rest, and cuts each long item', () => {
    const items = Array.from({ length: 5000 }, (_, i) => `${'x'.repeat(1000)}${i}`);
    const text = capList(items);
    expect(text).toMatch(/… and 4,990 more$/);
    expect(text.length).toBeLessThan(2200);
  });

  it('an input with 5,000 invalid documents gives a short error naming ten and counting the rest', () => {
    const documents = Array.from({ length: 5000 }, (_, i) => `../escape-${i}.md`);
    const error = (() => {
      try {
        parseExecutionInput({ documents }, { source: 'en', target: 'zh' });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error?.name).toBe('InvalidInputError');
    expect(error?.message).toMatch(/input\.documents\[0\]: must not contain empty, "\." or "\.\." segments/);
    expect(error?.message).toMatch(/… and 4,990 more problem\(s\)/);
    expect(error?.message.length).toBeLessThan(2000);
  });
});
