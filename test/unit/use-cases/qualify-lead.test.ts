import { describe, expect, it } from 'vitest';
import type { LeadCaptured } from '../../../events/lead-captured.js';
import { LEAD_DISQUALIFIED, LEAD_QUALIFIED, type LeadQualified } from '../../../events/lead-qualified.js';
import { qualifyLead, type QualifyPorts } from '../../../shared/use-cases/qualify-lead.js';
import { MemoryStores } from '../../support/memory-stores.js';

const CAPTURED_AT = '2026-11-20T10:00:00.000Z';

function captured(leadId: string, overrides: Partial<LeadCaptured> = {}): LeadCaptured {
  return {
    version: 1, leadId, sourceId: 'site', channel: 'web_form', provider: 'html_form', externalIds: {},
    person: { name: 'Ada Lovelace', email: 'ada@example.org', phone: '+14155550101' }, answers: {}, attribution: { utm_source: 'google' },
    capturedAt: CAPTURED_AT, isTest: false, rawRef: { pk: `LEAD#${leadId}`, sk: 'RAW' }, teamHint: 'sales', ...overrides,
  };
}

function setup(): { stores: MemoryStores; ports: QualifyPorts } {
  const stores = new MemoryStores();
  const clock = { now: () => new Date('2026-11-20T10:00:02.000Z') };
  return { stores, ports: { leads: stores.leads, contacts: stores.contacts, configs: stores.configs, clock, mergeWindowSeconds: 86_400 } };
}

describe('qualifying a captured lead', () => {
  it('stores the lead qualified with its contact and announces Lead Qualified with the facts routing needs, in the same write', async () => {
    const { stores, ports } = setup();
    expect(await qualifyLead(ports, captured('L1'))).toMatchObject({ outcome: 'qualified', leadId: 'L1' });
    const stored = await stores.leads.getLeadWithTimeline('L1');
    expect(stored?.lead).toMatchObject({ status: 'qualified', contactId: 'L1', qualifiedAt: '2026-11-20T10:00:02.000Z' });
    expect(stored?.timeline.map((e) => e.type)).toEqual(['Lead Captured', 'Lead Qualified']);
    expect(stores.announcedTypes()).toEqual([LEAD_QUALIFIED]);
    const detail = stores.announced[0]!.event.detail as LeadQualified;
    expect(detail).toMatchObject({ teamHint: 'sales', contact: { contactId: 'L1', returning: false } });
    expect(detail.facts).toMatchObject({ source: 'site', utm_source: 'google' });
  });

  it('changes and announces nothing when the same Lead Captured is delivered again', async () => {
    const { stores, ports } = setup();
    await qualifyLead(ports, captured('L1'));
    expect(await qualifyLead(ports, captured('L1'))).toEqual({ outcome: 'already-stored', leadId: 'L1' });
    expect(stores.announcedTypes()).toEqual([LEAD_QUALIFIED]);
    expect((await stores.leads.getLeadWithTimeline('L1'))?.timeline).toHaveLength(2);
  });

  it('disqualifies a filled honeypot and keeps a test lead out of contacts', async () => {
    const { stores, ports } = setup();
    expect(await qualifyLead(ports, captured('L2', { answers: { _honeypot: 'filled' } }))).toMatchObject({ outcome: 'disqualified' });
    expect(await qualifyLead(ports, captured('L3', { isTest: true, person: { email: 'qa@example.org' } }))).toMatchObject({ outcome: 'disqualified' });
    expect(stores.announcedTypes()).toEqual([LEAD_DISQUALIFIED, LEAD_DISQUALIFIED]);
    expect((await stores.leads.getLead('L3'))?.contactId).toBeUndefined();
    expect(await stores.contacts.findContactIds({ email: 'qa@example.org' })).toEqual({ byEmail: undefined, byPhone: undefined });
  });

  it('merges a returning person’s lead into their open one within the window, announcing nothing and noting it once on the open lead', async () => {
    const { stores, ports } = setup();
    await qualifyLead(ports, captured('L1'));
    const again = captured('L4', { capturedAt: '2026-11-20T12:00:00.000Z', message: 'still interested' });
    expect(await qualifyLead(ports, again)).toEqual({ outcome: 'merged', leadId: 'L4', into: 'L1' });
    expect(await qualifyLead(ports, again)).toEqual({ outcome: 'merged', leadId: 'L4', into: 'L1' });
    expect(await stores.leads.getLead('L4')).toMatchObject({ status: 'merged', mergedInto: 'L1', contactId: 'L1' });
    const open = await stores.leads.getLeadWithTimeline('L1');
    expect(open?.timeline.filter((e) => e.type === 'Lead Resubmitted')).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ leadId: 'L4', message: 'still interested' }) }),
    ]);
    expect(stores.announcedTypes()).toEqual([LEAD_QUALIFIED]);
  });

  it('works a returning person’s lead as new once their earlier lead is closed, carrying the contact’s owner', async () => {
    const { stores, ports } = setup();
    await qualifyLead(ports, captured('L1'));
    stores.leadItems.get('L1')!.status = 'won';
    stores.contactItems.get('L1')!.ownerId = 'dana';
    await qualifyLead(ports, captured('L5', { capturedAt: '2026-11-20T13:00:00.000Z' }));
    const detail = stores.announced[1]!.event.detail as LeadQualified;
    expect(detail.contact).toEqual({ contactId: 'L1', returning: true, ownerId: 'dana' });
  });
});
