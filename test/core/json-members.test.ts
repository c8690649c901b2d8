import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../lambdas/core/errors';
import { jsonMembers } from '../../lambdas/core/json-members';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('jsonMembers()', () => {
  it('gives the members asked for, exactly as JSON.parse would, whatever the rest holds', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 }),
        fc.constantFrom(undefined, 0, 1, 2, '\t'),
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }),
        (object, indent, extra) => {
          const text = JSON.stringify(object, null, indent);
          const names = [...Object.keys(object).slice(0, 3), ...extra];
          const parsed = JSON.parse(text) as Record<string, unknown>;
          const expected = Object.fromEntries(
            names.filter((n) => Object.hasOwn(parsed, n)).map((n) => [n, parsed[n]]),
          );
          expect(jsonMembers(bytes(text), names, 'f.json')).toEqual(expected);
        },
      ),
    );
  });

  it.each([
    ['a member given twice: the last one', '{"a": 1, "a": {"b": 2}}', { a: { b: 2 } }],
    [
      'brackets and quotes inside strings',
      '{"s": "}]\\"{[", "a": ["x", {"y": "]"}]}',
      { a: ['x', { y: ']' }] },
    ],
    ['an escaped name', '{"\\u0061": true}', { a: true }],
    ['non-ASCII text', '{"a": "循环神经网络", "z": 0}', { a: '循环神经网络' }],
    ['an empty object', ' { } ', {}],
  ])('reads %s', (_name, text, expected) => {
    expect(jsonMembers(bytes(text), ['a'], 'f.json')).toEqual(expected);
  });

  it.each([
    ['an array', '[1, 2]'],
    ['a truncated object', '{"a": {"b": 1}'],
    ['an unterminated string', '{"a": "x'],
    ['a missing value', '{"a": , "b": 1}'],
    ['text after the object', '{"a": 1} {}'],
    ['a member without a colon', '{"a" 1}'],
    ['an invalid value of a member asked for', '{"a": tru}'],
    ['nothing', ''],
  ])('refuses %s with InvalidInputError naming the file', (_name, text) => {
    expect(() => jsonMembers(bytes(text), ['a'], 'work/plan.json')).toThrow(InvalidInputError);
    expect(() => jsonMembers(bytes(text), ['a'], 'work/plan.json')).toThrow(/work\/plan\.json/);
  });
});
