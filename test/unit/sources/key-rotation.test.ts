import { describe, expect, it } from 'vitest';
import { htmlFormAdapter } from '../../../shared/sources/html-form.js';
import { PREVIOUS_KEY, PREVIOUS_KEY_UNTIL } from '../../../shared/sources/key-rotation.js';
import { clientErrorOf, inboundRequest } from './inbound-request.js';

const now = new Date();
const inMinutes = (m: number) => new Date(now.getTime() + m * 60_000).toISOString();
const verify = (presented: string, until: string) =>
  htmlFormAdapter.verify(inboundRequest({ raw: 'email=a%40b.co', mediaType: 'application/x-www-form-urlencoded', query: { key: presented }, receivedAt: now }), {
    sourceId: 'src',
    secrets: { key: 'new-key', [PREVIOUS_KEY]: 'old-key', [PREVIOUS_KEY_UNTIL]: until },
  });

describe('an html_form key rotation with an overlap', () => {
  it('takes the new key and, until the overlap ends, the replaced one', () => {
    expect(() => verify('new-key', inMinutes(10))).not.toThrow();
    expect(() => verify('old-key', inMinutes(10))).not.toThrow();
  });

  it('refuses the replaced key once the overlap the admin chose has ended, and still takes the new one', () => {
    expect(clientErrorOf(() => verify('old-key', inMinutes(-1))).statusCode).toBe(403);
    expect(() => verify('new-key', inMinutes(-1))).not.toThrow();
  });

  it('never takes a key that was neither', () => {
    expect(clientErrorOf(() => verify('other', inMinutes(10))).statusCode).toBe(403);
  });
});
