import { describe, expect, it } from 'vitest';
import { leadCampaignKeys, spendCampaignKeys } from '../../shared/domain/campaign-match.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { readConnectionInput } from '../../shared/domain/spend-connection.js';

const problemsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.fields.map((f) => f.field);
    throw error;
  }
  return [];
};

describe('spend connection input', () => {
  it('takes a Google Ads account with its four secrets and writes the customer id without dashes', () => {
    const input = readConnectionInput({
      platform: 'google_ads', accountId: '123-456-7890', loginCustomerId: '111-222-3333',
      secrets: { developerToken: 'd', clientId: 'c', clientSecret: 's', refreshToken: 'r' },
    });
    expect(input.settings).toMatchObject({ platform: 'google_ads', accountId: '1234567890', loginCustomerId: '1112223333', enabled: true });
    expect(Object.keys(input.secrets!)).toEqual(['developerToken', 'clientId', 'clientSecret', 'refreshToken']);
  });

  it('names every problem: a missing account, secret or currency, an unknown field or secret', () => {
    expect(problemsOf(() => readConnectionInput({ platform: 'meta', secrets: { token: 'x' }, color: 'red' }))).toEqual(
      ['color', 'accountId', 'secrets.token', 'secrets.accessToken'],
    );
    expect(problemsOf(() => readConnectionInput({ platform: 'yandex_direct', secrets: { token: 'y' } }))).toEqual(['currency']);
    expect(problemsOf(() => readConnectionInput({ platform: 'linkedin' }))).toContain('platform');
  });

  it('keeps the stored secrets on an update that sends none', () => {
    const input = readConnectionInput({ accountId: 'act_42', enabled: false }, { platform: 'meta', secretNames: ['accessToken'] });
    expect(input).toEqual({ settings: { platform: 'meta', accountId: '42', enabled: false }, secrets: undefined });
  });
});

describe('campaign keys', () => {
  it('counts a lead’s utm_campaign as both an id and a name, and its ad campaign id as an id', () => {
    expect(leadCampaignKeys({ utm_campaign: ' Spring  Sale ', campaignId: '42' })).toEqual([
      { kind: 'id', value: '42' },
      { kind: 'id', value: 'Spring  Sale' },
      { kind: 'name', value: 'spring sale' },
    ]);
    expect(leadCampaignKeys({})).toEqual([]);
  });

  it('finds a spend row by its campaign id and its normalized name', () => {
    expect(spendCampaignKeys({ campaignId: '42', campaignName: 'Spring Sale' })).toEqual([{ kind: 'id', value: '42' }, { kind: 'name', value: 'spring sale' }]);
  });
});
