import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../shared/domain/attribution-models.js';
import { DEFAULT_MODEL_OPTIONS } from '../../shared/domain/attribution-models.js';
import { assembleAttributionReport, attributeConversions, romiOf, type AttributedConversion } from '../../shared/domain/attribution-report.js';
import type { SpendRecord } from '../../shared/domain/spend.js';

const at = (day: string) => `2026-11-${day}T12:00:00.000Z`;

/**
 * A lead that first clicked a Google Ads "winter sale" ad, came back directly 10 days later and was won
 * for 1,000 dollars; and a lead created from a single Meta touch.
 */
const conversions: AttributedConversion[] = [
  {
    kind: 'won',
    at: at('20'),
    leadTouchId: 't2',
    revenue: { amount: '1000', currency: 'USD' },
    journey: [
      { id: 't1', at: at('10'), channel: 'google_ads', campaign: 'winter sale', direct: false },
      { id: 't2', at: at('20'), channel: 'direct', campaign: '-', direct: true },
    ],
  },
  { kind: 'created', at: at('19'), leadTouchId: 'm1', journey: [{ id: 'm1', at: at('19'), channel: 'meta', campaign: '123', direct: false }] },
];

const spend: SpendRecord[] = [
  { day: '2026-11-10', platform: 'google_ads', campaignId: '9', campaignName: 'Winter  Sale', amount: '150', currency: 'USD' },
  { day: '2026-11-11', platform: 'google_ads', campaignId: '8', campaignName: 'Brand', amount: '50', currency: 'USD' },
  { day: '2026-11-19', platform: 'meta', campaignId: '123', amount: '50', currency: 'EUR' },
];

const models = ['first_touch', 'last_touch', 'linear'] as const;

describe('the attribution report', () => {
  it('credits each model\'s conversions and revenue to channels and campaigns, revenue exactly', () => {
    const rows = attributeConversions(conversions, DEFAULT_MODEL_OPTIONS, models);
    const linear = rows.filter((r) => r.model === 'linear');
    expect(linear).toEqual([
      { model: 'linear', channel: 'direct', campaign: '-', created: '0', qualified: '0', won: '0.5', purchase: '0', revenue: { USD: '500' } },
      { model: 'linear', channel: 'google_ads', campaign: 'winter sale', created: '0', qualified: '0', won: '0.5', purchase: '0', revenue: { USD: '500' } },
      { model: 'linear', channel: 'meta', campaign: '123', created: '1', qualified: '0', won: '0', purchase: '0', revenue: {} },
    ]);
    // Every model's revenue adds up to the 1,000 dollars won.
    for (const model of models) {
      const total = rows.filter((r) => r.model === model).reduce((s, r) => s.plus(r.revenue.USD ?? '0'), new Big(0));
      expect(total.eq(1000)).toBe(true);
    }
  });

  it('gives ROMI per model, (revenue − spend) / spend: 4 for first touch, −1 for last touch, 1.5 for linear on Google Ads', () => {
    const report = assembleAttributionReport(attributeConversions(conversions, DEFAULT_MODEL_OPTIONS, models), spend, models, 'channel');
    const google = report.find((e) => e.channel === 'google_ads')!;
    // 200 dollars of spend; first touch credits the whole 1,000, last touch nothing, linear half.
    expect(google.models.first_touch).toMatchObject({ won: '1', revenue: { USD: '1000' }, spend: { USD: '200' }, romi: { USD: '4' } });
    expect(google.models.last_touch).toMatchObject({ won: '0', revenue: {}, spend: { USD: '200' }, romi: { USD: '-1' } });
    expect(google.models.linear).toMatchObject({ won: '0.5', revenue: { USD: '500' }, romi: { USD: '1.5' } });
    expect(google.spread.won).toEqual({ min: '0', max: '1', spread: '1', lowest: ['last_touch'], highest: ['first_touch'] });
    expect(google.spread.revenue.USD).toEqual({ min: '0', max: '1000', spread: '1000', lowest: ['last_touch'], highest: ['first_touch'] });
    // Direct has no spend, so no ROMI; Meta's euro spend brought no revenue: −1 in euros.
    expect(report.find((e) => e.channel === 'direct')!.models.last_touch).toMatchObject({ won: '1', spend: {}, romi: {} });
    expect(report.find((e) => e.channel === 'meta')!.models.first_touch).toMatchObject({ created: '1', spend: { EUR: '50' }, romi: { EUR: '-1' } });
  });

  it('matches a campaign\'s spend by campaign id or by the normalized campaign name', () => {
    const report = assembleAttributionReport(attributeConversions(conversions, DEFAULT_MODEL_OPTIONS, models), spend, models, 'campaign');
    const winter = report.find((e) => e.channel === 'google_ads' && e.campaign === 'winter sale')!;
    // "Winter  Sale" normalizes to the touch's "winter sale": its 150 dollars, not the brand campaign's 50.
    expect(winter.models.first_touch).toMatchObject({ spend: { USD: '150' }, romi: { USD: '5.6667' } });
    expect(report.find((e) => e.channel === 'google_ads' && e.campaign === '8')!.models.first_touch).toMatchObject({ spend: { USD: '50' }, romi: { USD: '-1' } });
  });

  it('flags a ROMI it cannot compute: revenue in euros against spend in dollars needs an exchange rate', () => {
    expect(romiOf({ EUR: '500' }, { USD: '100' })).toEqual({
      romi: { USD: null },
      romiUnavailable: 'revenue in EUR and spend in USD cannot be compared without an exchange rate',
    });
    expect(romiOf({ USD: '300' }, { USD: '100' })).toEqual({ romi: { USD: '2' } });
  });

  it('credits a conversion with no touch in its journey to unattributed, and a refund lowers revenue without counting', () => {
    const rows = attributeConversions(
      [
        { kind: 'purchase', at: at('20'), revenue: { amount: '80', currency: 'USD' }, journey: [] },
        { kind: 'purchase', at: at('21'), revenue: { amount: '-30', currency: 'USD' }, journey: [] },
      ],
      DEFAULT_MODEL_OPTIONS,
      ['w_shaped'],
    );
    expect(rows).toEqual([{ model: 'w_shaped', channel: 'unattributed', campaign: '-', created: '0', qualified: '0', won: '0', purchase: '1', revenue: { USD: '50' } }]);
  });
});

describe('the attribution report, for any conversions', () => {
  it('gives every model the same totals: each kind\'s conversions once and each currency\'s revenue exactly', () => {
    const touch = fc.record({ minutes: fc.integer({ min: 0, max: 200_000 }), channel: fc.constantFrom('google_ads', 'meta', 'direct', 'newsletter'), campaign: fc.constantFrom('-', 'a', 'b') });
    const conversion = fc.record({
      kind: fc.constantFrom('created', 'qualified', 'won', 'purchase') as fc.Arbitrary<'created' | 'qualified' | 'won' | 'purchase'>,
      touches: fc.array(touch, { maxLength: 8 }),
      cents: fc.integer({ min: 1, max: 10_000_000 }),
      currency: fc.constantFrom('USD', 'EUR'),
    });
    fc.assert(
      fc.property(fc.array(conversion, { minLength: 1, maxLength: 12 }), (list) => {
        const end = Date.parse(at('30'));
        const conversions: AttributedConversion[] = list.map((c, i) => ({
          kind: c.kind,
          at: at('30'),
          journey: c.touches
            .map((t, j) => ({ id: `c${i}t${j}`, at: new Date(end - t.minutes * 60_000).toISOString(), channel: t.channel, campaign: t.campaign, direct: t.channel === 'direct' }))
            .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id)),
          ...(c.kind === 'won' || c.kind === 'purchase' ? { revenue: { amount: new Big(c.cents).div(100).toFixed(), currency: c.currency } } : {}),
        }));
        const rows = attributeConversions(conversions, DEFAULT_MODEL_OPTIONS);
        for (const model of MODELS) {
          const mine = rows.filter((r) => r.model === model);
          for (const kind of ['created', 'qualified', 'won', 'purchase'] as const) {
            const credited = mine.reduce((s, r) => s.plus(r[kind]), new Big(0));
            expect(credited.eq(conversions.filter((c) => c.kind === kind).length)).toBe(true);
          }
          for (const currency of ['USD', 'EUR']) {
            const credited = mine.reduce((s, r) => s.plus(r.revenue[currency] ?? '0'), new Big(0));
            const converted = conversions.reduce((s, c) => (c.revenue?.currency === currency ? s.plus(c.revenue.amount) : s), new Big(0));
            expect(credited.eq(converted)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
