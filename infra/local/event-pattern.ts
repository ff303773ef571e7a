import { isIP } from 'node:net';

/**
 * An EventBridge event pattern as parsed from JSON: field names map to nested patterns or to arrays of
 * match values, and `$or` maps to an array of alternative patterns. Kept loose so parsed JSON and
 * `as const` literals both fit; `validateEventPattern` checks the shape at run time.
 */
export type EventPattern = Readonly<Record<string, unknown>>;

/** A pattern EventBridge would reject; the message names the offending field path and the problem. */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(path === '' ? reason : `"${path}": ${reason}`);
  }
}

type Scalar = string | number | boolean | null;
type Path = readonly string[];

interface Matcher {
  readonly test: (value: Scalar) => boolean;
  /** Whether the matcher is satisfied by a field that has no leaf value at all (only `exists: false`). */
  readonly matchesAbsent: boolean;
}

/** The values of one pattern array: the field matches when any of them does. */
type Condition = readonly Matcher[];

interface FieldRule {
  readonly conditions: readonly Condition[];
  readonly child?: PatternTree;
}

/** One `$or`-free alternative of a pattern; every field must match. */
type PatternTree = ReadonlyMap<string, FieldRule>;

type OperatorCompiler = (spec: unknown, path: Path) => Matcher;

const EMPTY_TREE: PatternTree = new Map();

/**
 * Compiles a pattern once into a predicate over events, for callers that match many events against it.
 * Throws InvalidEventPatternError when the pattern is invalid.
 */
export function compileEventPattern(pattern: unknown): (event: unknown) => boolean {
  const alternatives = compileObject(pattern, []);
  return (event) => isPlainObject(event) && alternatives.some((tree) => matchFields(tree, event));
}

/**
 * Whether an event (the full envelope: source, detail-type, detail, ...) matches an EventBridge pattern.
 * Throws InvalidEventPatternError when the pattern is invalid.
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return compileEventPattern(pattern)(event);
}

/** Throws InvalidEventPatternError for patterns that PutRule would reject. */
export function validateEventPattern(pattern: unknown): void {
  compileObject(pattern, []);
}

function fail(path: Path, reason: string): never {
  throw new InvalidEventPatternError(path.join('.'), reason);
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

// $or branches are merged into their siblings (disjunctive normal form), as Event Ruler compiles them into
// sub-rules; this keeps array consistency when a branch and a sibling both reach into the same array.
function compileObject(pattern: unknown, path: Path): PatternTree[] {
  if (!isPlainObject(pattern)) fail(path, 'pattern must be a JSON object');
  const entries = Object.entries(pattern);
  if (entries.length === 0) fail(path, 'empty objects are not allowed');
  return entries.reduce<PatternTree[]>(
    (trees, [key, value]) => {
      const alternatives = compileEntry(key, value, path);
      return trees.flatMap((tree) => alternatives.map((alternative) => mergeTrees(tree, alternative)));
    },
    [EMPTY_TREE],
  );
}

function compileEntry(key: string, value: unknown, path: Path): PatternTree[] {
  if (key === '$or') return compileOr(value, path);
  const fieldPath = [...path, key];
  if (Array.isArray(value)) return [new Map([[key, { conditions: [compileCondition(value, fieldPath)] }]])];
  if (isPlainObject(value)) {
    return compileObject(value, fieldPath).map((child) => new Map([[key, { conditions: [], child }]]));
  }
  return fail(fieldPath, 'must be an object or an array');
}

// Event Ruler reads "$or" as an OR only when it holds at least two objects; anything else fails its compiler.
function compileOr(value: unknown, path: Path): PatternTree[] {
  if (!Array.isArray(value) || value.length < 2) {
    fail([...path, '$or'], '$or must be an array of at least two pattern objects');
  }
  return value.flatMap((branch, index) => compileObject(branch, [...path, `$or[${index}]`]));
}

function mergeTrees(left: PatternTree, right: PatternTree): PatternTree {
  const merged = new Map(left);
  for (const [key, rule] of right) {
    const existing = merged.get(key);
    merged.set(key, existing === undefined ? rule : mergeRules(existing, rule));
  }
  return merged;
}

function mergeRules(left: FieldRule, right: FieldRule): FieldRule {
  const child =
    left.child !== undefined && right.child !== undefined
      ? mergeTrees(left.child, right.child)
      : (left.child ?? right.child);
  return { conditions: [...left.conditions, ...right.conditions], child };
}

function compileCondition(values: readonly unknown[], path: Path): Condition {
  if (values.length === 0) fail(path, 'empty arrays are not allowed');
  return values.map((value) => compileMatchValue(value, path));
}

function compileMatchValue(value: unknown, path: Path): Matcher {
  if (isScalar(value)) return valueMatcher((candidate) => candidate === value);
  if (!isPlainObject(value)) fail(path, 'match values must be strings, numbers, booleans, null or operator objects');
  const entries = Object.entries(value);
  const [entry] = entries;
  if (entry === undefined || entries.length > 1) fail(path, 'an operator object must have exactly one key');
  const [operator, spec] = entry;
  const compile = Object.hasOwn(OPERATORS, operator) ? OPERATORS[operator] : undefined;
  if (compile === undefined) fail(path, `unrecognized match type "${operator}"`);
  return compile(spec, path);
}

function valueMatcher(test: (value: Scalar) => boolean): Matcher {
  return { test, matchesAbsent: false };
}

function foldCase(text: string): string {
  return text.toLowerCase();
}

function compilePrefix(spec: unknown, path: Path): Matcher {
  if (typeof spec === 'string') return valueMatcher((value) => typeof value === 'string' && value.startsWith(spec));
  const folded = foldCase(ignoreCaseOperand(spec, 'prefix', path));
  return valueMatcher((value) => typeof value === 'string' && foldCase(value).startsWith(folded));
}

function compileSuffix(spec: unknown, path: Path): Matcher {
  if (typeof spec === 'string') return valueMatcher((value) => typeof value === 'string' && value.endsWith(spec));
  const folded = foldCase(ignoreCaseOperand(spec, 'suffix', path));
  return valueMatcher((value) => typeof value === 'string' && foldCase(value).endsWith(folded));
}

function ignoreCaseOperand(spec: unknown, operator: string, path: Path): string {
  const inner = isPlainObject(spec) ? Object.entries(spec) : [];
  const [entry] = inner;
  if (inner.length !== 1 || entry?.[0] !== 'equals-ignore-case' || typeof entry[1] !== 'string') {
    fail(path, `${operator} must be a string or {"equals-ignore-case": string}`);
  }
  return entry[1];
}

function compileEqualsIgnoreCase(spec: unknown, path: Path): Matcher {
  if (typeof spec !== 'string') fail(path, 'equals-ignore-case must be a string');
  const folded = foldCase(spec);
  return valueMatcher((value) => typeof value === 'string' && foldCase(value) === folded);
}

function compileWildcard(spec: unknown, path: Path): Matcher {
  if (typeof spec !== 'string') fail(path, 'wildcard must be a string');
  const segments = parseWildcard(spec, path);
  return valueMatcher((value) => typeof value === 'string' && matchesWildcard(segments, value));
}

/** Splits a wildcard at its unescaped `*`s; `\*` is a literal asterisk and `\\` a literal backslash. */
function parseWildcard(spec: string, path: Path): string[] {
  const segments: string[] = [];
  let current = '';
  let afterWildcard = false;
  for (let index = 0; index < spec.length; index += 1) {
    const char = spec[index];
    if (char === '*') {
      if (afterWildcard) fail(path, `wildcard has consecutive wildcard characters at position ${index}`);
      segments.push(current);
      current = '';
      afterWildcard = true;
      continue;
    }
    afterWildcard = false;
    if (char === '\\') {
      const next = spec[index + 1];
      if (next !== '*' && next !== '\\') fail(path, `wildcard has an invalid escape at position ${index}`);
      current += next;
      index += 1;
    } else {
      current += char;
    }
  }
  segments.push(current);
  return segments;
}

// Greedy leftmost placement of each middle segment is optimal when `*` is the only metacharacter.
function matchesWildcard(segments: readonly string[], value: string): boolean {
  const first = segments[0] ?? '';
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? '';
  const end = value.length - last.length;
  if (end < first.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let position = first.length;
  for (const segment of segments.slice(1, -1)) {
    const found = value.indexOf(segment, position);
    if (found === -1 || found + segment.length > end) return false;
    position = found + segment.length;
  }
  return true;
}

function compileExists(spec: unknown, path: Path): Matcher {
  if (typeof spec !== 'boolean') fail(path, 'exists must be true or false');
  return { test: () => spec, matchesAbsent: !spec };
}

const NUMERIC_OPERATORS = ['<', '<=', '=', '>', '>='] as const;
type NumericOperator = (typeof NUMERIC_OPERATORS)[number];

interface Comparison {
  readonly operator: NumericOperator;
  readonly operand: number;
}

function compileNumeric(spec: unknown, path: Path): Matcher {
  const comparisons = parseNumeric(spec, path);
  return valueMatcher((value) => typeof value === 'number' && comparisons.every((c) => compare(value, c)));
}

// Event Ruler's grammar: one comparison, or a range that opens with > or >= and closes with < or <=.
function parseNumeric(spec: unknown, path: Path): Comparison[] {
  if (!Array.isArray(spec) || spec.length === 0) fail(path, 'numeric must be a non-empty array');
  if (spec.length > 4) fail(path, 'numeric has too many elements');
  const first = parseComparison(spec, 0, path);
  if (spec.length === 2) return [first];
  if (first.operator !== '>' && first.operator !== '>=') fail(path, 'numeric has too many elements');
  const second = parseComparison(spec, 2, path);
  if (second.operator !== '<' && second.operator !== '<=') {
    fail(path, `numeric range must close with "<" or "<=", not "${second.operator}"`);
  }
  if (second.operand <= first.operand) fail(path, 'numeric range lower bound must be less than its upper bound');
  return [first, second];
}

function parseComparison(spec: readonly unknown[], index: number, path: Path): Comparison {
  const operator = spec[index];
  const operand = spec[index + 1];
  if (!isNumericOperator(operator)) fail(path, `unrecognized numeric operator ${JSON.stringify(operator)}`);
  if (typeof operand !== 'number' || !Number.isFinite(operand)) {
    fail(path, `numeric operator "${operator}" must be followed by a number`);
  }
  return { operator, operand };
}

function isNumericOperator(value: unknown): value is NumericOperator {
  return NUMERIC_OPERATORS.some((operator) => operator === value);
}

function compare(value: number, { operator, operand }: Comparison): boolean {
  switch (operator) {
    case '<':
      return value < operand;
    case '<=':
      return value <= operand;
    case '=':
      return value === operand;
    case '>':
      return value > operand;
    case '>=':
      return value >= operand;
  }
}

// anything-but needs a value to reject: a missing field never matches it, but null, numbers and booleans do
// match string-based exclusions (Event Ruler compares typed JSON text, so "12" never equals 12).
function compileAnythingBut(spec: unknown, path: Path): Matcher {
  if (isPlainObject(spec)) return negate(compileAnythingButOperator(spec, path));
  if (!Array.isArray(spec) && typeof spec !== 'string' && typeof spec !== 'number') {
    fail(path, 'anything-but must be a string, a number, an array or an operator object');
  }
  const excluded: readonly unknown[] = Array.isArray(spec) ? spec : [spec];
  if (excluded.length === 0) fail(path, 'anything-but list must not be empty');
  const allStrings = excluded.every((value) => typeof value === 'string');
  const allNumbers = excluded.every((value) => typeof value === 'number' && Number.isFinite(value));
  if (!allStrings && !allNumbers) fail(path, 'anything-but values must be all strings or all numbers');
  return valueMatcher((value) => !excluded.includes(value));
}

function negate(test: (value: string) => boolean): Matcher {
  return valueMatcher((value) => typeof value !== 'string' || !test(value));
}

function compileAnythingButOperator(spec: Readonly<Record<string, unknown>>, path: Path): (value: string) => boolean {
  const entries = Object.entries(spec);
  const [entry] = entries;
  if (entry === undefined || entries.length > 1) fail(path, 'anything-but operator object must have exactly one key');
  const [operator, operand] = entry;
  switch (operator) {
    case 'prefix': {
      const prefixes = nonEmptyStrings(operand, 'anything-but prefix', path);
      return (value) => prefixes.some((prefix) => value.startsWith(prefix));
    }
    case 'suffix': {
      const suffixes = nonEmptyStrings(operand, 'anything-but suffix', path);
      return (value) => suffixes.some((suffix) => value.endsWith(suffix));
    }
    case 'equals-ignore-case': {
      const folded = stringList(operand, 'anything-but equals-ignore-case', path).map(foldCase);
      return (value) => folded.includes(foldCase(value));
    }
    case 'wildcard': {
      const wildcards = stringList(operand, 'anything-but wildcard', path).map((text) => parseWildcard(text, path));
      return (value) => wildcards.some((segments) => matchesWildcard(segments, value));
    }
    default:
      return fail(path, `unsupported anything-but operator "${operator}"`);
  }
}

function stringList(operand: unknown, label: string, path: Path): string[] {
  const list: readonly unknown[] = Array.isArray(operand) ? operand : [operand];
  const strings = list.filter((item): item is string => typeof item === 'string');
  if (strings.length === 0 || strings.length !== list.length) {
    fail(path, `${label} must be a string or a non-empty array of strings`);
  }
  return strings;
}

function nonEmptyStrings(operand: unknown, label: string, path: Path): string[] {
  const list = stringList(operand, label, path);
  if (list.includes('')) fail(path, `${label} must not be empty`);
  return list;
}

interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

function compileCidr(spec: unknown, path: Path): Matcher {
  if (typeof spec !== 'string') fail(path, 'cidr must be a string');
  const parts = spec.split('/');
  const [address = '', bits = ''] = parts;
  if (parts.length !== 2) fail(path, `malformed CIDR "${spec}", exactly one "/" required`);
  if (!/^\d+$/.test(bits)) fail(path, `malformed CIDR "${spec}", mask bits must be an integer`);
  const network = parseIp(address);
  if (network === undefined) fail(path, `malformed CIDR "${spec}", "${address}" is not an IP address`);
  const width = network.family === 4 ? 32 : 128;
  const prefixLength = Number(bits);
  if (prefixLength > width) fail(path, `malformed CIDR "${spec}", mask bits must be at most ${width}`);
  const mask = ((1n << BigInt(prefixLength)) - 1n) << BigInt(width - prefixLength);
  const base = network.value & mask;
  return valueMatcher((value) => {
    const ip = typeof value === 'string' ? parseIp(value) : undefined;
    return ip !== undefined && ip.family === network.family && (ip.value & mask) === base;
  });
}

function parseIp(text: string): IpAddress | undefined {
  const family = isIP(text);
  if (family === 4) return { family, value: ipv4Octets(text).reduce((acc, octet) => (acc << 8n) | BigInt(octet), 0n) };
  if (family === 6 && !text.includes('%')) {
    return { family, value: ipv6Groups(text).reduce((acc, group) => (acc << 16n) | BigInt(group), 0n) };
  }
  return undefined;
}

function ipv4Octets(text: string): number[] {
  return text.split('.').map(Number);
}

function ipv6Groups(text: string): number[] {
  const [head = '', tail] = text.split('::');
  const headGroups = hexGroups(head);
  const tailGroups = tail === undefined ? [] : hexGroups(tail);
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...new Array<number>(zeros).fill(0), ...tailGroups];
}

// The last group may be an embedded IPv4 address (::ffff:10.0.0.1), worth two 16-bit groups.
function hexGroups(part: string): number[] {
  if (part === '') return [];
  return part.split(':').flatMap((group) => {
    if (!group.includes('.')) return [parseInt(group, 16)];
    const [a = 0, b = 0, c = 0, d = 0] = ipv4Octets(group);
    return [(a << 8) | b, (c << 8) | d];
  });
}

const OPERATORS: Readonly<Record<string, OperatorCompiler>> = {
  prefix: compilePrefix,
  suffix: compileSuffix,
  'equals-ignore-case': compileEqualsIgnoreCase,
  wildcard: compileWildcard,
  'anything-but': compileAnythingBut,
  numeric: compileNumeric,
  exists: compileExists,
  cidr: compileCidr,
};

function matchFields(tree: PatternTree, object: Readonly<Record<string, unknown>> | undefined): boolean {
  return [...tree].every(([key, rule]) =>
    matchFieldRule(rule, object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined),
  );
}

function matchFieldRule(rule: FieldRule, value: unknown): boolean {
  const leaves = leafValues(value);
  return (
    rule.conditions.every((condition) => matchCondition(condition, leaves)) &&
    (rule.child === undefined || matchTree(rule.child, value))
  );
}

// Arrays of objects are searched element by element, and all fields of a nested pattern must match within
// the same element (Event Ruler's array-consistent matching). An empty array counts as an absent field.
function matchTree(tree: PatternTree, value: unknown): boolean {
  const candidates = objectElements(value);
  if (candidates.length === 0) return matchFields(tree, undefined);
  return candidates.some((candidate) => matchFields(tree, candidate));
}

function objectElements(value: unknown): Readonly<Record<string, unknown>>[] {
  if (Array.isArray(value)) return value.flatMap(objectElements);
  return isPlainObject(value) ? [value] : [];
}

// Only leaves carry values: an object is not a value of its field ("exists matching only works on leaf
// nodes"), and arrays contribute each of their scalar elements.
function leafValues(value: unknown): Scalar[] {
  if (Array.isArray(value)) return value.flatMap(leafValues);
  return isScalar(value) ? [value] : [];
}

function matchCondition(condition: Condition, values: readonly Scalar[]): boolean {
  if (values.length === 0) return condition.some((matcher) => matcher.matchesAbsent);
  return condition.some((matcher) => values.some((value) => matcher.test(value)));
}
