import { request } from 'node:http';
import { topology, type RouteSpec } from '../../infra/topology.js';

/*
 * A seeded fuzzer over every route of the topology: hostile path parameters (malformed escapes, ids past
 * DynamoDB's key limits, prototype names, control characters), every kind of credential, and bodies of
 * every media type with hostile keys. The same seed sends the same requests, so a failure found in CI is
 * replayed with FUZZ_SEED=<seed>.
 */

/** mulberry32: a small, fast, seedable PRNG; quality is ample for choosing test inputs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzCredentials {
  adminToken: string;
  sourceKey: string;
  repToken?: string;
  /** Ids that exist, so some requests get past "not found" into the handler's real work. */
  known: { sourceId: string; repId: string; teamId: string; leadId?: string };
}

export interface FuzzRequest {
  method: string;
  /** As sent on the wire: already percent-encoded (or deliberately not). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  route: string;
}

export interface FuzzResult {
  request: FuzzRequest;
  status: number;
}

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
const BAD_ESCAPES = ['%E0%A4%A', '%C0', '%ZZ', '%ED%A0%80', '%', '%F0%9F', '%FF%FE'];
const MEDIA_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain', 'application/xml', ''];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function randomString(random: () => number, maxLength: number): string {
  const alphabet = 'abcXYZ019-_.~ éü漢😀\u0000\n"\'<>&=?#/\\%+';
  const length = Math.floor(random() * maxLength);
  let out = '';
  for (let i = 0; i < length; i++) out += pick(random, [...alphabet]);
  return out;
}

/** A path parameter value as it appears in the path (encoded), hostile most of the time. */
function pathValue(random: () => number, name: string, creds: FuzzCredentials): string {
  const known: Record<string, string | undefined> = {
    sourceId: creds.known.sourceId,
    id: pick(random, [creds.known.repId, creds.known.teamId, creds.known.leadId ?? '01JAAAAAAAAAAAAAAAAAAAAAAA']),
    kind: pick(random, ['routing', 'scoring']),
    version: pick(random, ['1', 'v0001', '999999999999', '1e300', '-1']),
    tokenId: 'abcdef123456',
    event: pick(random, ['events/call', 'events/summary']),
  };
  const choice = random();
  if (choice < 0.45 && known[name]) return encodeURIComponent(known[name]!);
  if (choice < 0.55) return pick(random, BAD_ESCAPES);
  if (choice < 0.62) return 'a'.repeat(pick(random, [129, 1025, 2049, 2100, 4000]));
  if (choice < 0.7) return pick(random, PROTOTYPE_NAMES);
  if (choice < 0.75) return encodeURIComponent('😀'.repeat(40));
  return encodeURIComponent(randomString(random, 40) || 'x');
}

/** A JSON value with hostile keys, a few levels deep. */
function hostileValue(random: () => number, depth: number): unknown {
  const choice = random();
  if (depth <= 0 || choice < 0.35) return pick(random, [randomString(random, 30), 42, -1.5, true, null, 'ada@example.com', '+14155550100', 'x'.repeat(3000)]);
  if (choice < 0.5) return Array.from({ length: Math.floor(random() * 4) }, () => hostileValue(random, depth - 1));
  const entries = Array.from({ length: Math.floor(random() * 6) }, () => [
    pick(random, [...PROTOTYPE_NAMES, 'email', 'phone', 'name', 'teamId', 'repId', 'rules', 'secrets', 'config', 'leads', 'status', randomString(random, 12)]),
    hostileValue(random, depth - 1),
  ]);
  return Object.fromEntries(entries);
}

function jsonText(value: unknown): string {
  // `__proto__` set through Object.fromEntries is an own key; JSON.stringify writes it like any other.
  return JSON.stringify(value);
}

function body(random: () => number): { contentType: string; body?: Buffer } {
  const contentType = pick(random, MEDIA_TYPES);
  const choice = random();
  if (choice < 0.1) return { contentType };
  if (choice < 0.2) return { contentType, body: Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256))) };
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const pairs = Array.from({ length: Math.floor(random() * 6) }, (): [string, string] => [pick(random, [...PROTOTYPE_NAMES, 'email', 'name', randomString(random, 8)]), randomString(random, 20)]);
    if (random() < 0.5) pairs.push(['email', 'ada@example.com']);
    return { contentType, body: Buffer.from(new URLSearchParams(pairs).toString()) };
  }
  if (contentType.startsWith('multipart/form-data')) {
    const name = pick(random, [...PROTOTYPE_NAMES, 'email', randomString(random, 8)]);
    return { contentType, body: Buffer.from(`--x\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${randomString(random, 20)}\r\n--x--\r\n`) };
  }
  const value = hostileValue(random, 3);
  if (random() < 0.4 && value && typeof value === 'object' && !Array.isArray(value)) (value as Record<string, unknown>).email = 'ada@example.com';
  return { contentType, body: Buffer.from(random() < 0.1 ? `${jsonText(value)}}` : jsonText(value)) };
}

function rightKeyFor(route: RouteSpec): 'admin' | 'source' | 'rep' | 'none' {
  if (route.path.startsWith('/v1/rep/')) return 'rep';
  if (route.path === '/v1/leads') return 'source';
  if (route.path.startsWith('/v1/hooks/') || route.path.startsWith('/v1/accept/')) return 'none';
  return 'admin';
}

/** Generates one request to `route`, deterministically from `random`. */
export function fuzzRequest(random: () => number, route: RouteSpec, creds: FuzzCredentials): FuzzRequest {
  const path = route.path.replace(/\{([^}+]+)\+?\}/g, (_m, name: string) => pathValue(random, name, creds));
  const query = random() < 0.3
    ? `?${pick(random, ['key', 'teamId', 'cursor', 'limit', 'from', 'to', 'format', 'hub.mode', 'token', '__proto__'])}=${pick(random, [creds.sourceKey, encodeURIComponent(randomString(random, 30)), 'a'.repeat(2100), '%ZZ', '-1', 'csv'])}`
    : '';
  const headers: Record<string, string> = {};
  // Mostly the key the route wants, so requests get past authentication into the handler's real work.
  const credential = random() < 0.6 ? rightKeyFor(route) : pick(random, ['none', 'admin', 'source', 'rep', 'garbage', 'long']);
  const key = { none: undefined, admin: creds.adminToken, source: creds.sourceKey, rep: creds.repToken, garbage: 'lf_xyz', long: 'k'.repeat(5000) }[credential];
  if (key) headers[random() < 0.8 ? 'authorization' : 'x-api-key'] = random() < 0.8 ? `Bearer ${key}` : key;
  if (random() < 0.2) headers.origin = pick(random, ['https://evil.example', 'null', 'http://localhost:3000']);
  if (random() < 0.1) headers['idempotency-key'] = randomString(random, 300).replace(/[^\x20-\x7e]/g, 'x') || 'k';
  const sent = route.method === 'GET' || route.method === 'OPTIONS' ? { contentType: '' } : body(random);
  if (sent.contentType) headers['content-type'] = sent.contentType;
  return { method: route.method, path: `${path}${query}`, headers, body: sent.body, route: `${route.method} ${route.path}` };
}

/** Sends a request exactly as built (no URL normalization, unlike fetch) and answers its status. */
export function send(apiUrl: string, fuzz: FuzzRequest): Promise<number> {
  const url = new URL(apiUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: fuzz.method, path: fuzz.path, headers: { ...fuzz.headers, ...(fuzz.body ? { 'content-length': String(fuzz.body.length) } : {}) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer to ${fuzz.method} ${fuzz.path.slice(0, 100)} within 30 s`)));
    req.on('error', reject);
    req.end(fuzz.body);
  });
}

/** Runs `count` requests spread over every topology route, `concurrency` at a time, from `seed`. */
export async function fuzzRoutes(options: { apiUrl: string; seed: number; count: number; concurrency?: number; credentials: FuzzCredentials }): Promise<FuzzResult[]> {
  const random = prng(options.seed);
  const routes = topology.routes;
  // Every route at least once, in order, then at random: a small CI run still covers all of them.
  const requests = Array.from({ length: Math.max(options.count, routes.length) }, (_, i) =>
    fuzzRequest(random, i < routes.length ? routes[i]! : pick(random, routes), options.credentials),
  );
  const results: FuzzResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const fuzz = requests[next++]!;
      results.push({ request: fuzz, status: await send(options.apiUrl, fuzz) });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return results;
}
