import { ValidationError } from '../domain/errors.js';

/**
 * A JSON number kept as the text the sender wrote. Ad platforms send int64 ids as JSON numbers;
 * `JSON.parse` rounds anything past 2^53, so two different leads could get the same id.
 */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type ExactJson = null | boolean | string | JsonNumber | ExactJson[] | { [key: string]: ExactJson };

/** Nesting deeper than any provider body sends; deeper input is refused rather than risking the stack. */
const MAX_DEPTH = 64;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new ValidationError(`the body is not valid JSON: ${what} at character ${this.at}`);
  }

  skipSpace(): void {
    while (this.at < this.text.length) {
      const c = this.text.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.at++;
    }
  }

  document(): ExactJson {
    this.skipSpace();
    const value = this.value(0);
    this.skipSpace();
    if (this.at !== this.text.length) this.fail('unexpected text after the value');
    return value;
  }

  private value(depth: number): ExactJson {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const c = this.text[this.at];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    if (this.text.startsWith('true', this.at)) return this.literal('true', true);
    if (this.text.startsWith('false', this.at)) return this.literal('false', false);
    if (this.text.startsWith('null', this.at)) return this.literal('null', null);
    return this.fail(c === undefined ? 'the text ends where a value was expected' : `unexpected "${c}"`);
  }

  private literal<T>(word: string, value: T): T {
    this.at += word.length;
    return value;
  }

  private number(): JsonNumber {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('a malformed number');
    this.at += match[0].length;
    return new JsonNumber(match[0]);
  }

  private string(): string {
    this.at++;
    let out = '';
    let start = this.at;
    for (;;) {
      if (this.at >= this.text.length) this.fail('an unterminated string');
      const code = this.text.charCodeAt(this.at);
      if (code === 0x22) {
        out += this.text.slice(start, this.at);
        this.at++;
        return out;
      }
      if (code < 0x20) this.fail('a control character inside a string');
      if (code !== 0x5c) {
        this.at++;
        continue;
      }
      out += this.text.slice(start, this.at);
      const escape = this.text[this.at + 1];
      if (escape === 'u') {
        const hex = this.text.slice(this.at + 2, this.at + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('a malformed \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.at += 6;
      } else if (escape !== undefined && Object.hasOwn(ESCAPES, escape)) {
        out += ESCAPES[escape];
        this.at += 2;
      } else {
        this.fail('an unknown escape');
      }
      start = this.at;
    }
  }

  private array(depth: number): ExactJson[] {
    this.at++;
    const items: ExactJson[] = [];
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return items;
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.at++];
      if (c === ']') return items;
      if (c !== ',') this.fail('an array item not followed by "," or "]"');
    }
  }

  private object(depth: number): { [key: string]: ExactJson } {
    this.at++;
    // No prototype: a key such as "__proto__" or "constructor" is plain data here.
    const out: { [key: string]: ExactJson } = Object.create(null);
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') this.fail('an object key that is not a string');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.at++] !== ':') this.fail('a key not followed by ":"');
      this.skipSpace();
      // A repeated key keeps its last value, as JSON.parse does.
      out[key] = this.value(depth + 1);
      this.skipSpace();
      const c = this.text[this.at++];
      if (c === '}') return out;
      if (c !== ',') this.fail('an object member not followed by "," or "}"');
    }
  }
}

/**
 * Parses JSON like `JSON.parse`, except that every number stays the exact text the sender wrote
 * (a `JsonNumber`), so int64 ids survive. Throws a `ValidationError` (400) naming where the text is
 * not JSON.
 */
export function parseExactJson(text: string): ExactJson {
  return new Reader(text).document();
}

export type JsonObject = { [key: string]: ExactJson };

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: ExactJson | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

/**
 * An id as exact text, whether the sender wrote it as a JSON string or a JSON integer; undefined for
 * anything else (a fraction, an exponent, an object, an empty string).
 */
export function idText(value: ExactJson | undefined): string | undefined {
  if (value instanceof JsonNumber) return /^-?\d+$/.test(value.text) ? value.text : undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed && trimmed.length <= 200 ? trimmed : undefined;
  }
  return undefined;
}

/** A scalar as text (a string, number or boolean), for answers and labels; undefined otherwise. */
export function scalarText(value: ExactJson | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** A number of seconds or milliseconds since the epoch as ISO 8601; undefined when it is not a plausible time. */
export function epochToIso(value: ExactJson | undefined, unit: 'seconds' | 'milliseconds'): string | undefined {
  const text = value instanceof JsonNumber ? value.text : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^\d{1,16}$/.test(text)) return undefined;
  const ms = Number(text) * (unit === 'seconds' ? 1000 : 1);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
