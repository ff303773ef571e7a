import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { InboundRequest } from '../../../shared/sources/adapter.js';
import { ClientError } from '../../../shared/domain/errors.js';

/** Reads a provider sample, byte for byte, from test/fixtures/providers. */
export function fixture(path: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/providers/${path}`, import.meta.url)));
}

/** A webhook request as the hooks handler hands it to an adapter. */
export function inboundRequest(init: {
  raw: Buffer | string;
  mediaType?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  receivedAt?: Date;
  method?: string;
}): InboundRequest {
  const raw = typeof init.raw === 'string' ? Buffer.from(init.raw, 'utf8') : init.raw;
  const query = init.query ?? {};
  const search = new URLSearchParams(query).toString();
  return {
    method: init.method ?? 'POST',
    url: `https://hooks.example.com/v1/hooks/test/src-1${search ? `?${search}` : ''}`,
    headers: init.headers ?? {},
    query,
    mediaType: init.mediaType ?? 'application/json',
    raw,
    text: raw.toString('utf8'),
    receivedAt: init.receivedAt ?? new Date(),
  };
}

/** Runs `fn`, expecting a ClientError, and returns it for inspection. */
export function clientErrorOf(fn: () => unknown): ClientError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ClientError);
    return error as ClientError;
  }
  throw new Error('expected a ClientError, nothing was thrown');
}
