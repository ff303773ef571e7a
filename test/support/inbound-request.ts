import { readFileSync } from 'node:fs';
import type { InboundRequest } from '../../shared/sources/adapter.js';

/**
 * Builds a webhook request as an intake handler would hand it to an adapter: the raw body byte-exact,
 * header names lowercased, the query read from the URL.
 */
export function inboundRequest(options: {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  mediaType?: string;
  receivedAt?: Date;
}): InboundRequest {
  const raw = Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body ?? '', 'utf8');
  const url = options.url ?? 'https://intake.example.com/v1/sources/src-1/webhook';
  const headers = Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: options.method ?? 'POST',
    url,
    headers,
    query: Object.fromEntries(new URL(url).searchParams),
    mediaType: options.mediaType ?? (raw.length ? 'application/json' : ''),
    raw,
    text: raw.toString('utf8'),
    receivedAt: options.receivedAt ?? new Date('2026-03-02T09:15:00Z'),
  };
}

/** A vendor sample copied byte for byte into test/fixtures/providers. */
export function providerSample(path: string): Buffer {
  return readFileSync(new URL(`../fixtures/providers/${path}`, import.meta.url));
}
