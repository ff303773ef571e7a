import { describe, expect, it } from 'vitest';
import { converterOf } from '../../shared/domain/exchange-rates.js';
import { buildRepDay, repReport } from '../../shared/domain/rep-report.js';

const D1 = '2026-11-02';
const D2 = '2026-11-03';

describe('the rep report', () => {
  const day1 = buildRepDay(
    D1,
    [
      { stage: 'rep_assigned', repId: 'ana' },
      { stage: 'rep_assigned', repId: 'ana' },
      { stage: 'rep_assigned', repId: 'ben' },
      { stage: 'sla_missed', repId: 'ben' },
      { stage: 'accepted', repId: 'ana', latencyMs: 60_000 },
      { stage: 'accepted', repId: 'ana', latencyMs: 180_000 },
      { stage: 'contacted', repId: 'ana', latencyMs: 240_000 },
      { stage: 'won', repId: 'ana', revenue: { amount: '100.5', currency: 'USD' } },
      { stage: 'won', repId: 'ana', revenue: { amount: '0.1', currency: 'USD' } },
      { stage: 'assigned', repId: 'ana' },
    ],
    [
      { repId: 'ana', direction: 'outbound', state: 'completed', durationSeconds: 95 },
      { repId: 'ana', direction: 'outbound', state: 'missed' },
      { repId: 'ben', direction: 'inbound', state: 'completed', durationSeconds: 30 },
      { repId: 'ben', direction: 'inbound', state: 'missed' },
    ],
  );
  const day2 = buildRepDay(D2, [{ stage: 'rep_assigned', repId: 'ana' }, { stage: 'accepted', repId: 'ana', latencyMs: 600_000 }], []);

  it('counts a day per rep: assignments, acceptance, SLA misses, contact, wins with exact revenue, and calls with talk time', () => {
    expect(day1).toEqual([
      {
        day: D1, repId: 'ana', assigned: 2, accepted: 2, acceptMs: [60_000, 180_000], slaMisses: 0, contacted: 1, contactMs: [240_000],
        won: 2, revenue: { USD: '100.6' }, callsPlaced: 2, callsReceived: 0, callsMissed: 0, talkSeconds: 95,
      },
      {
        day: D1, repId: 'ben', assigned: 1, accepted: 0, acceptMs: [], slaMisses: 1, contacted: 0, contactMs: [],
        won: 0, revenue: {}, callsPlaced: 0, callsReceived: 1, callsMissed: 1, talkSeconds: 30,
      },
    ]);
  });

  it('takes the median over every sample of the period, not the median of daily medians', () => {
    const convert = converterOf([{ base: 'EUR', currency: 'USD', day: D1, units: '2', price: '1' }]);
    const [ana] = repReport([...day1, ...day2], { period: 'all', from: D1, to: D2, currency: 'EUR', convert });
    // Samples 1 and 3 minutes (day 1) and 10 minutes (day 2): the median is 3 minutes; the daily medians 2 and 10 would average 6.
    expect(ana).toMatchObject({ repId: 'ana', assigned: 3, accepted: 3, medianCaptureToAcceptMs: 180_000, revenue: '50.3', revenueByCurrency: { USD: '100.6' }, missingRates: [] });
    const [noRate] = repReport(day1, { period: 'day', from: D1, to: D1, currency: 'EUR', convert: converterOf([]) });
    expect(noRate).toMatchObject({ revenue: null, missingRates: [{ currency: 'USD', days: [D1] }] });
  });
});
