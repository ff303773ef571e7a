import { describe, expect, it } from 'vitest';
import { leadCapturedSchema } from '../../events/lead-captured.js';
import { ContractError, parseDetail } from '../../shared/aws/event-input.js';

const detail = {
  version: 1,
  leadId: '01JLEAD',
  sourceId: 'site-main',
  channel: 'web_form',
  provider: 'html_form',
  person: { email: 'ann@acme.com' },
  attribution: {},
  capturedAt: '2026-03-05T10:00:00.000Z',
  isTest: false,
  rawRef: { pk: 'LEAD#01JLEAD', sk: 'RAW' },
};

function errorOf(value: unknown): ContractError {
  try {
    parseDetail(leadCapturedSchema, 'Lead Captured', value);
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return error as ContractError;
  }
  throw new Error('expected parseDetail to throw');
}

describe('parseDetail', () => {
  it('returns the parsed detail with defaults applied and unknown keys dropped', () => {
    const parsed = parseDetail(leadCapturedSchema, 'Lead Captured', { ...detail, extra: true });
    expect(parsed).toEqual({ ...detail, externalIds: {}, answers: {} });
  });

  it('names the event type and the dotted path of a nested problem', () => {
    const message = errorOf({ ...detail, person: { email: 42 } }).message;
    expect(message).toMatch(/^Lead Captured event breaks its contract: person\.email: /);
    expect(message).not.toContain(';');
  });

  it('names a problem deeper in the detail by its full path', () => {
    expect(errorOf({ ...detail, rawRef: { pk: 'LEAD#01JLEAD' } }).message).toMatch(
      /^Lead Captured event breaks its contract: rawRef\.sk: /,
    );
  });

  it('names every problem, separated by semicolons', () => {
    const message = errorOf({ ...detail, leadId: '', channel: 'fax' }).message;
    expect(message).toMatch(/^Lead Captured event breaks its contract: leadId: .+; channel: .+$/);
  });

  it('calls a problem with the detail itself (detail)', () => {
    expect(errorOf('not an object').message).toMatch(/^Lead Captured event breaks its contract: \(detail\): /);
  });

  it('throws an error named ContractError', () => {
    expect(errorOf(null).name).toBe('ContractError');
  });
});
