import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { generateMissingSecrets, readSourceInput } from '../../../shared/sources/source-config.js';

function problemsOf(run: () => unknown): Array<{ field: string; problem: string }> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fields;
  }
  throw new Error('expected a ValidationError');
}

describe('reading a source an admin creates or changes', () => {
  it('reads a complete Meta source with its settings and secrets apart', () => {
    const input = readSourceInput(
      {
        sourceId: 'meta-main',
        name: ' Meta page ',
        provider: 'meta_lead_ads',
        defaultCountry: 'DE',
        teamId: 'sales',
        secrets: { appSecret: 'app', accessToken: 'page-token' },
      },
      'create',
    );
    expect(input.settings).toEqual({ sourceId: 'meta-main', name: 'Meta page', provider: 'meta_lead_ads', defaultCountry: 'DE', teamId: 'sales' });
    expect(input.secrets).toEqual({ appSecret: 'app', accessToken: 'page-token' });
  });

  it('names every problem at once: unknown setting, unknown provider, bad id and country', () => {
    expect(problemsOf(() => readSourceInput({ sourceId: 'Bad Id', name: 'x', provider: 'myspace', defaultCountry: 'Germany', colour: 'red' }, 'create'))).toEqual([
      { field: 'colour', problem: expect.stringContaining('is not a source setting') },
      { field: 'provider', problem: expect.stringContaining('"myspace" is not a provider leadflow reads') },
      { field: 'sourceId', problem: expect.stringContaining('lowercase letters') },
      { field: 'defaultCountry', problem: 'must be an ISO 3166 country code such as US or DE' },
    ]);
  });

  it('requires the secrets a provider issues, but not those leadflow can generate', () => {
    const problems = problemsOf(() => readSourceInput({ name: 'Meta', provider: 'meta_lead_ads' }, 'create'));
    expect(problems.map((p) => p.field)).toEqual(['secrets.appSecret', 'secrets.accessToken']);
    expect(readSourceInput({ name: 'Tilda', provider: 'tilda' }, 'create').secrets).toEqual({});
  });

  it('refuses a secret the provider does not use, naming the ones it does', () => {
    expect(problemsOf(() => readSourceInput({ name: 'T', provider: 'typeform', secrets: { secret: 's', apiKey: 'k' } }, 'create'))).toEqual([
      { field: 'secrets.apiKey', problem: 'is not a secret typeform uses; it uses secret' },
    ]);
  });

  it('checks origins, redirect URLs and tracking numbers', () => {
    const problems = problemsOf(() =>
      readSourceInput(
        {
          allowedOrigins: ['https://www.example.com', 'https://example.com/contact', '*'],
          redirectUrl: 'javascript:alert(1)',
          trackingNumbers: { '+14155550100': { utm_source: 'google' }, '4155550100': { utm_campaign: 'x' }, '+14155550101': { gclid: 'x' } },
        },
        'update',
        'callrail',
      ),
    );
    expect(problems).toEqual([
      { field: 'redirectUrl', problem: 'must be an http or https URL' },
      { field: 'allowedOrigins[1]', problem: expect.stringContaining('must be an origin') },
      { field: 'trackingNumbers.4155550100', problem: expect.stringContaining('E.164') },
      { field: 'trackingNumbers.+14155550101.gclid', problem: expect.stringContaining('is not attribution') },
    ]);
  });

  it('does not let an update change the provider or the id', () => {
    expect(problemsOf(() => readSourceInput({ provider: 'tilda', sourceId: 'other' }, 'update', 'typeform')).map((p) => p.field)).toEqual(['provider', 'sourceId']);
  });

  it('refuses a body that is not a JSON object', () => {
    expect(() => readSourceInput(['x'], 'create')).toThrow(ValidationError);
  });
});

describe('secrets leadflow generates', () => {
  it('makes the tokens a provider lets the admin choose, and only those not given', () => {
    expect(Object.keys(generateMissingSecrets('meta_lead_ads', {}))).toEqual(['verifyToken']);
    expect(generateMissingSecrets('tilda', { token: 'mine' })).toEqual({});
    expect(generateMissingSecrets('twilio', {})).toEqual({});
    const { secret } = generateMissingSecrets('signed_json', {});
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(generateMissingSecrets('signed_json', {}).secret).not.toBe(secret);
  });
});
