import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { JsonNumber, parseExactJson, type ExactJson } from '../../../shared/sources/exact-json.js';

/** Turns the exact tree into what JSON.parse would give, to compare the two parsers. */
function plain(value: ExactJson): unknown {
  if (value instanceof JsonNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: plain(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

describe('parseExactJson', () => {
  it('agrees with JSON.parse on any JSON text, numbers aside', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(plain(parseExactJson(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses whatever JSON.parse refuses, with a 400', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        let native = true;
        try {
          JSON.parse(text);
        } catch {
          native = false;
        }
        if (native) expect(() => parseExactJson(text)).not.toThrow();
        else expect(() => parseExactJson(text)).toThrow(ValidationError);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the digits of integers past 2^53 that JSON.parse rounds', () => {
    const tree = parseExactJson('{"id": 9007199254740993, "big": -123456789012345678901234567890, "f": 1.5e3}') as Record<string, JsonNumber>;
    expect(tree.id?.text).toBe('9007199254740993');
    expect(JSON.parse('{"id": 9007199254740993}').id).toBe(9007199254740992);
    expect(tree.big?.text).toBe('-123456789012345678901234567890');
    expect(tree.f?.text).toBe('1.5e3');
  });

  it('keeps "__proto__" as a plain key without touching any prototype', () => {
    const tree = parseExactJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.keys(tree)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses nesting deeper than 64 levels with a 400 rather than overflowing the stack', () => {
    expect(() => parseExactJson('['.repeat(100_000) + ']'.repeat(100_000))).toThrow(/nesting deeper/);
    expect(() => parseExactJson('['.repeat(60) + ']'.repeat(60))).not.toThrow();
  });
});
