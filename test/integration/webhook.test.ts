import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError, postWebhook } from '../../shared/notify/webhook.js';

let server: Server;
let base: string;
const received: Array<{ path: string; method: string; body: string; key?: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url!, method: req.method!, body, key: req.headers['idempotency-key'] as string });
      if (req.url === '/ok') return res.writeHead(204).end();
      if (req.url === '/moved') return res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/down') return res.writeHead(503).end();
      if (req.url === '/busy') return res.writeHead(429).end();
      if (req.url === '/gone') return res.writeHead(410).end();
      if (req.url === '/slow') return setTimeout(() => res.writeHead(200).end(), 1000);
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const send = (path: string, timeoutMs = 500) => postWebhook(`${base}${path}`, { hello: 'rep' }, { timeoutMs, idempotencyKey: 'lead-1:rep-1' });

async function failure(path: string, timeoutMs?: number): Promise<DeliveryError> {
  const error = await send(path, timeoutMs).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('posting a notification to a rep webhook', () => {
  it('POSTs the JSON payload with its idempotency key and succeeds on any 2xx', async () => {
    await send('/ok');
    expect(received.at(-1)).toEqual({ path: '/ok', method: 'POST', body: '{"hello":"rep"}', key: 'lead-1:rep-1' });
  });

  it('does not follow a redirect, and treats it as final', async () => {
    const before = received.length;
    const error = await failure('/moved');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('redirected (302)');
    expect(received.slice(before).map((r) => r.path)).toEqual(['/moved']);
  });

  it('treats 5xx, 429 and a timeout as worth retrying, and other 4xx as final', async () => {
    expect((await failure('/down')).retryable).toBe(true);
    expect((await failure('/busy')).retryable).toBe(true);
    const slow = await failure('/slow', 200);
    expect(slow.retryable).toBe(true);
    expect(slow.message).toContain('no answer within 200 ms');
    expect((await failure('/gone')).retryable).toBe(false);
  });
});
