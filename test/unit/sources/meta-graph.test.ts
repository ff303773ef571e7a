import { describe, expect, it } from 'vitest';
import type { LeadReference } from '../../../shared/sources/adapter.js';
import { graphTimeToIso, metaLeadToCanonical, type GraphLead } from '../../../shared/sources/meta-graph.js';
import { providerSample } from '../../support/inbound-request.js';

const sample = (name: string): GraphLead => JSON.parse(providerSample(`meta-leadads/${name}`).toString('utf8'));
const source = { sourceId: 'meta-1', defaultCountry: 'US', secrets: {} };

function refFor(id: string, extra: Partial<LeadReference> = {}): LeadReference {
  return {
    provider: 'meta_lead_ads',
    externalId: id,
    externalIds: { page_id: '123123123', form_id: '12312312312' },
    attribution: { formId: '12312312312', adId: '555' },
    isTest: false,
    ...extra,
  };
}

describe('metaLeadToCanonical', () => {
  it('maps the documentation Graph lead: full name and email to the person, other fields to answers', () => {
    const lead = metaLeadToCanonical(sample('graph_lead__docs_sample__VALIDJSON_from_docs.json'), refFor('777'), source);
    expect(lead).toEqual({
      channel: 'ad_form',
      provider: 'meta_lead_ads',
      externalIds: {
        leadgen_id: '777', page_id: '123123123', form_id: '<FORM_ID>', ad_id: '<AD_ID>',
        created_time: '2015-02-28T08:49:14.000Z',
      },
      person: { name: 'Joe Example', email: 'joe@example.com' },
      answers: { car_make: 'Honda', selected_dealer: '99213450' },
      attribution: { formId: '<FORM_ID>', adId: '<AD_ID>' },
      isTest: false,
      idempotencyKey: 'meta:777',
    });
  });

  it('marks a lead from Meta\'s testing tool as a test and keeps its dummy phone as written', () => {
    const lead = metaLeadToCanonical(sample('graph_lead__testing_tool_dummy__RECONSTRUCTED.json'), refFor('1234567890123456'), source);
    expect(lead.isTest).toBe(true);
    expect(lead.person).toEqual({
      name: '<test lead: dummy data for full_name>',
      email: 'test@meta.com',
      phoneRaw: '<test lead: dummy data for phone_number>',
    });
    expect(lead.answers).toEqual({ 'Quantos colaboradores': '<test lead: dummy data for Quantos colaboradores>' });
    expect(lead.externalIds).toMatchObject({ platform: 'fb', is_organic: 'false', created_time: '2026-03-02T09:14:07.000Z' });
  });

  it('marks test@meta.com as a test even without dummy values', () => {
    const lead = metaLeadToCanonical({ id: '1', field_data: [{ name: 'email', values: ['TEST@meta.com'] }] }, refFor('1'), source);
    expect(lead.isTest).toBe(true);
  });

  it('reads a phone with Meta\'s p: prefix to E.164 and joins first and last name', () => {
    const lead = metaLeadToCanonical(
      {
        id: '2',
        field_data: [
          { name: 'phone_number', values: ['p:+14155552671'] },
          { name: 'first_name', values: ['Ann'] },
          { name: 'last_name', values: ['Lee'] },
          { name: 'services', values: ['install', 'repair'] },
        ],
      },
      refFor('2'),
      source,
    );
    expect(lead.person).toEqual({ phone: '+14155552671', firstName: 'Ann', lastName: 'Lee', name: 'Ann Lee' });
    expect(lead.answers).toEqual({ services: 'install, repair' });
    expect(lead.isTest).toBe(false);
  });

  it('prefers the Graph lead\'s campaign, ad set and ad ids over the webhook\'s', () => {
    const lead = metaLeadToCanonical(
      { id: '3', campaign_id: '10', adset_id: '20', ad_id: '30', form_id: '40' },
      refFor('3'),
      source,
    );
    expect(lead.attribution).toEqual({ campaignId: '10', adsetId: '20', adId: '30', formId: '40' });
  });

  it('keeps an unreadable email as an answer rather than losing it', () => {
    const lead = metaLeadToCanonical({ id: '4', field_data: [{ name: 'email', values: ['ann at acme'] }] }, refFor('4'), source);
    expect(lead.person).toEqual({});
    expect(lead.answers).toEqual({ email: 'ann at acme' });
  });
});

describe('graphTimeToIso', () => {
  it('reads Graph times whose offset has no colon', () => {
    expect(graphTimeToIso('2015-02-28T08:49:14+0000')).toBe('2015-02-28T08:49:14.000Z');
    expect(graphTimeToIso('2015-02-28T10:49:14+0200')).toBe('2015-02-28T08:49:14.000Z');
    expect(graphTimeToIso('yesterday')).toBeUndefined();
  });
});
