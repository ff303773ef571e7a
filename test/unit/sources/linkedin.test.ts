import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../../../shared/domain/errors.js';
import { linkedInAdapter } from '../../../shared/sources/linkedin.js';
import { inboundRequest } from '../../support/inbound-request.js';

const SECRET = 'li-client-secret';
const source = { sourceId: 'li-1', secrets: { clientSecret: SECRET } };
// Field names and values as LinkedIn's Lead Sync notification documents them; ids invented.
const created = JSON.stringify({
  type: 'LEAD_ACTION',
  leadGenFormResponse: 'urn:li:leadGenFormResponse:3f1c2a9e-7d1b-4b0e-9d2a-0c9b8f7e6d5c',
  leadGenForm: 'urn:li:versionedLeadGenForm:(urn:li:leadGenForm:5678,1)',
  owner: { sponsoredAccount: 'urn:li:sponsoredAccount:522529623' },
  associatedEntity: { sponsoredCreative: 'urn:li:sponsoredCreative:91011' },
  leadType: 'SPONSORED',
  leadAction: 'CREATED',
  occurredAt: 1772442847000,
});

const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(`hmacsha256=${body}`).digest('hex');
const post = (body: string, signature?: string) =>
  inboundRequest({ body, headers: signature === undefined ? {} : { 'X-LI-Signature': signature } });

function thrown(fn: () => unknown): ClientError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ClientError);
    return error as ClientError;
  }
  throw new Error('expected a ClientError');
}

describe('LinkedIn endpoint validation', () => {
  it('answers the challenge with its hex HMAC-SHA256 under the client secret, as JSON', () => {
    const code = '890e4665-4dfe-4ab1-b689-ed553bceeed4';
    const reply = linkedInAdapter.handshake!(inboundRequest({ method: 'GET', url: `https://x.example/hook?challengeCode=${code}` }), source);
    expect(reply).toEqual({
      kind: 'reply',
      statusCode: 200,
      contentType: 'application/json',
      body: JSON.stringify({ challengeCode: code, challengeResponse: createHmac('sha256', SECRET).update(code).digest('hex') }),
    });
  });

  it('answers 400 without a challengeCode and 401 when the source has no client secret', () => {
    expect(thrown(() => linkedInAdapter.handshake!(inboundRequest({ method: 'GET' }), source)).statusCode).toBe(400);
    const get = inboundRequest({ method: 'GET', url: 'https://x.example/?challengeCode=abc' });
    expect(thrown(() => linkedInAdapter.handshake!(get, { sourceId: 's', secrets: {} })).statusCode).toBe(401);
  });
});

describe('LinkedIn signature', () => {
  it('accepts X-LI-Signature computed over "hmacsha256=" and the raw body', () => {
    expect(() => linkedInAdapter.verify(post(created, sign(created)), source)).not.toThrow();
  });

  it('returns 401 when the signature covers the body without the hmacsha256= prefix', () => {
    const bare = createHmac('sha256', SECRET).update(created).digest('hex');
    expect(thrown(() => linkedInAdapter.verify(post(created, bare), source)).statusCode).toBe(401);
  });

  it('returns 401 when the body changed after signing, or another secret signed it', () => {
    expect(thrown(() => linkedInAdapter.verify(post(`${created} `, sign(created)), source)).message).toMatch(/does not match/);
    expect(thrown(() => linkedInAdapter.verify(post(created, sign(created, 'other')), source)).statusCode).toBe(401);
  });

  it('returns 401 when X-LI-Signature is missing or not hex', () => {
    expect(thrown(() => linkedInAdapter.verify(post(created), source)).message).toMatch(/missing/);
    expect(thrown(() => linkedInAdapter.verify(post(created, 'hmacsha256=abc'), source)).statusCode).toBe(401);
  });
});

describe('LinkedIn Lead Sync notification', () => {
  it('turns a CREATED lead into a reference to read from the API, with its form and owner', () => {
    expect(linkedInAdapter.parse(post(created), source)).toEqual({
      kind: 'lead-refs',
      rejected: [],
      refs: [
        {
          provider: 'linkedin',
          externalId: '3f1c2a9e-7d1b-4b0e-9d2a-0c9b8f7e6d5c',
          externalIds: {
            lead_urn: 'urn:li:leadGenFormResponse:3f1c2a9e-7d1b-4b0e-9d2a-0c9b8f7e6d5c',
            form: 'urn:li:versionedLeadGenForm:(urn:li:leadGenForm:5678,1)',
            owner: 'urn:li:sponsoredAccount:522529623',
            associated_entity: 'urn:li:sponsoredCreative:91011',
            lead_type: 'SPONSORED',
          },
          attribution: { formId: 'urn:li:versionedLeadGenForm:(urn:li:leadGenForm:5678,1)' },
          createdAt: '2026-03-02T09:14:07.000Z',
          isTest: false,
        },
      ],
    });
  });

  it('turns a DELETED lead into a suppression', () => {
    const deleted = created.replace('"CREATED"', '"DELETED"');
    expect(linkedInAdapter.parse(post(deleted), source)).toEqual({
      kind: 'suppressions', provider: 'linkedin', externalIds: ['3f1c2a9e-7d1b-4b0e-9d2a-0c9b8f7e6d5c'],
    });
  });

  it('ignores notifications of other types', () => {
    const social = JSON.stringify({ type: 'ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS', notifications: [] });
    expect(linkedInAdapter.parse(post(social), source).kind).toBe('ignored');
  });

  it('answers 400 naming the field when the lead URN or the action is unreadable', () => {
    const noUrn = JSON.stringify({ ...JSON.parse(created), leadGenFormResponse: 'urn:li:person:1' });
    expect(thrown(() => linkedInAdapter.parse(post(noUrn), source)).fields[0]?.field).toBe('leadGenFormResponse');
    const oddAction = created.replace('"CREATED"', '"UPDATED"');
    expect(thrown(() => linkedInAdapter.parse(post(oddAction), source)).fields[0]?.field).toBe('leadAction');
  });
});
