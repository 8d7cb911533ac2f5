import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, structureProblem } from './json-body.js';

describe('structureProblem', () => {
  it('accepts nesting up to the limit and refuses one level more, without recursion', () => {
    expect(structureProblem('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeUndefined();
    expect(structureProblem('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toMatch(/deeper/);
    expect(structureProblem('{"a":'.repeat(100_000))).toMatch(/deeper/);
  });

  it('refuses a key twice in one object, compared decoded', () => {
    expect(structureProblem('{"amount":1,"amount":2}')).toMatch(/"amount" appears twice/);
    expect(structureProblem('{"a":1,"\\u0061":2}')).toMatch(/"a" appears twice/);
    expect(structureProblem('{"a":{"b":1},"c":{"b":2}}')).toBeUndefined();
    expect(structureProblem('[{"a":1},{"a":1}]')).toBeUndefined();
  });

  it('does not take values, or brackets and quotes inside strings, for structure', () => {
    expect(structureProblem('{"a":"a","b":"a"}')).toBeUndefined();
    expect(structureProblem('{"a":"[[[{\\"a\\":1,\\"a\\":2}","b":"}"}')).toBeUndefined();
    expect(structureProblem('{"list":["a","a"],"x":1}')).toBeUndefined();
  });
});
