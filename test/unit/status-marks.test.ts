import { describe, expect, it } from 'vitest';
import type { LeadStatusChanged } from '../../events/lead-status-changed.js';
import { statusMarksOf } from '../../shared/domain/status-marks.js';

const change = (fields: Partial<LeadStatusChanged> & Pick<LeadStatusChanged, 'to'>): LeadStatusChanged => ({
  version: 1,
  lead: { leadId: 'L1', sourceId: 'site', channel: 'web_form', capturedAt: '2026-03-05T10:00:00.000Z', isTest: false },
  repId: 'dana',
  from: 'assigned',
  changedAt: '2026-03-05T10:05:00.000Z',
  ...fields,
});

describe('statusMarksOf', () => {
  it('marks an acceptance with its time from capture', () => {
    expect(statusMarksOf(change({ to: 'accepted', captureToAcceptMs: 300_000 }))).toEqual([{ stage: 'accepted', latencyMs: 300_000 }]);
  });

  it('marks both acceptance and contact for a first change straight to contacted', () => {
    expect(statusMarksOf(change({ to: 'contacted', captureToAcceptMs: 60_000, captureToContactMs: 60_000 }))).toEqual([
      { stage: 'accepted', latencyMs: 60_000 },
      { stage: 'contacted', latencyMs: 60_000 },
    ]);
  });

  it('marks only contact for an accepted lead that is contacted later', () => {
    expect(statusMarksOf(change({ from: 'accepted', to: 'contacted', captureToContactMs: 90_000 }))).toEqual([
      { stage: 'contacted', latencyMs: 90_000 },
    ]);
  });

  it('marks a win with its revenue, and the first contact when the win is also the first reach', () => {
    expect(statusMarksOf(change({ from: 'contacted', to: 'won', revenue: { amount: 4200, currency: 'EUR' } }))).toEqual([
      { stage: 'won', revenue: { amount: 4200, currency: 'EUR' } },
    ]);
    expect(statusMarksOf(change({ from: 'accepted', to: 'won', revenue: { amount: 10, currency: 'USD' }, captureToContactMs: 5 }))).toEqual([
      { stage: 'contacted', latencyMs: 5 },
      { stage: 'won', revenue: { amount: 10, currency: 'USD' } },
    ]);
  });

  it('marks a loss, and the acceptance a loss straight from assignment makes', () => {
    expect(statusMarksOf(change({ from: 'contacted', to: 'lost', reason: 'no budget' }))).toEqual([{ stage: 'lost' }]);
    expect(statusMarksOf(change({ to: 'lost', reason: 'spam', captureToAcceptMs: 7 }))).toEqual([
      { stage: 'accepted', latencyMs: 7 },
      { stage: 'lost' },
    ]);
  });

  it('marks nothing for a move to qualified that records neither acceptance nor contact', () => {
    expect(statusMarksOf(change({ from: 'contacted', to: 'qualified' }))).toEqual([]);
  });
});
