import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createDemoReceiver, isLoopbackHost } from '../../infra/local/demo-receiver.js';

function request(method: string, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1'): IncomingMessage {
  return { method, headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

const url = (path: string) => new URL(`http://127.0.0.1:3000${path}`);
const access = (host: string) => ({ host, isAdminToken: async (token: string | undefined) => token === 'admin-token' });

describe('the demo receiver', () => {
  it('lists notifications only with the admin token in the Authorization header', async () => {
    const { route } = createDemoReceiver(() => undefined, access('127.0.0.1'));
    expect((await route(request('GET'), Buffer.alloc(0), url('/_demo/notifications')))?.statusCode).toBe(401);
    expect((await route(request('GET'), Buffer.alloc(0), url('/_demo/notifications?token=admin-token')))?.statusCode).toBe(401);
    expect((await route(request('GET', { authorization: 'Bearer wrong' }), Buffer.alloc(0), url('/_demo/notifications')))?.statusCode).toBe(401);
    expect((await route(request('GET', { authorization: 'Bearer admin-token' }), Buffer.alloc(0), url('/_demo/notifications')))?.statusCode).toBe(200);
  });

  it('still takes the notify function’s deliveries without a token, as a rep’s endpoint would', async () => {
    const { route, received } = createDemoReceiver(() => undefined, access('127.0.0.1'));
    const answer = await route(request('POST'), Buffer.from('{"leadId":"l1"}'), url('/_demo/reps/ana/notifications'));
    expect(answer?.statusCode).toBe(200);
    expect(received).toHaveLength(1);
  });

  it('is off entirely when the API listens beyond loopback', async () => {
    const { route } = createDemoReceiver(() => undefined, access('0.0.0.0'));
    expect((await route(request('GET', { authorization: 'Bearer admin-token' }), Buffer.alloc(0), url('/_demo/notifications')))?.statusCode).toBe(404);
    expect((await route(request('POST'), Buffer.from('{}'), url('/_demo/reps/ana/notifications')))?.statusCode).toBe(404);
  });

  it('answers 400, not a crash, for a malformed failures body or rep id', async () => {
    const { route } = createDemoReceiver(() => undefined, access('127.0.0.1'));
    const auth = { authorization: 'Bearer admin-token' };
    expect((await route(request('POST', auth), Buffer.from('{nope'), url('/_demo/reps/ana/failures')))?.statusCode).toBe(400);
    expect((await route(request('GET', auth), Buffer.alloc(0), url('/_demo/reps/%E0%A4%A/notifications')))?.statusCode).toBe(400);
  });

  it('knows which hosts are loopback', () => {
    expect(['127.0.0.1', 'localhost', '::1', '127.0.0.2'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '192.168.1.5', '::'].some(isLoopbackHost)).toBe(false);
  });
});
