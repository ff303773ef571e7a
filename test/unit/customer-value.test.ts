import { describe, expect, it } from 'vitest';
import { customerValueOf, type PurchaseFact } from '../../shared/domain/customer-value.js';
import { DEFAULT_SEGMENT_CONFIG, parseSegmentConfig, segmentOf, type SegmentConfig } from '../../shared/domain/segments.js';
import { parsePurchase } from '../../shared/domain/purchase-input.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { segmentReportOf } from '../../shared/domain/segment-report.js';
import { parseValueSettings } from '../../shared/domain/value-settings.js';

const p = (orderId: string, at: string, amount: string, currency = 'USD'): PurchaseFact => ({ orderId, at: `${at}T00:00:00.000Z`, amount, currency });

/** Three dollar purchases 10 and 20 days apart, a euro purchase between them, and a $20 refund. */
const history = [
  p('o1', '2026-01-10', '100.00'),
  p('o2', '2026-01-20', '50.50'),
  p('e1', '2026-02-01', '30', 'EUR'),
  p('o3', '2026-02-09', '49.50'),
  p('r1', '2026-02-10', '-20'),
];

describe('customer value', () => {
  it('counts purchases and refunds apart, and nets refunds out of the total per currency (the historical CLV)', () => {
    const value = customerValueOf(history, '2026-01-01T00:00:00.000Z');
    expect(value.purchases).toBe(4);
    expect(value.refunds).toBe(1);
    // 100 + 50.50 + 49.50 - 20 = 180 dollars; 30 euros, never added to the dollars.
    expect(value.total).toEqual({ EUR: '30', USD: '180' });
  });

  it('takes the average check per currency over purchases only: 180 dollars over 3 purchases is 60', () => {
    expect(customerValueOf(history).averageCheck).toEqual({ EUR: '30', USD: '60' });
  });

  it('measures the mean time between purchases and the lifetime from first contact to last purchase', () => {
    const value = customerValueOf(history, '2026-01-01T00:00:00.000Z');
    expect(value.firstPurchaseAt).toBe('2026-01-10T00:00:00.000Z');
    expect(value.lastPurchaseAt).toBe('2026-02-09T00:00:00.000Z');
    // 10 January to 9 February is 30 days over 3 gaps; 1 January to 9 February is 39 days.
    expect(value.averageDaysBetweenPurchases).toBe('10');
    expect(value.lifetimeDays).toBe('39');
  });

  it('has no mean gap with one purchase and no lifetime without any', () => {
    expect(customerValueOf([p('o1', '2026-01-10', '10')]).averageDaysBetweenPurchases).toBeNull();
    const refundOnly = customerValueOf([p('r1', '2026-01-10', '-10')]);
    expect(refundOnly).toMatchObject({ purchases: 0, refunds: 1, total: { USD: '-10' }, averageCheck: { USD: null }, lifetimeDays: null });
  });
});

describe('segments', () => {
  const now = new Date('2026-03-01T00:00:00.000Z');

  it('makes a customer with four purchases in six months regular by the defaults', () => {
    expect(segmentOf(DEFAULT_SEGMENT_CONFIG, { purchases: history }, now)).toBe('regular');
  });

  it('does not count a refund as a purchase: three purchases and a refund are not regular', () => {
    const three = history.filter((x) => x.orderId !== 'o3');
    expect(segmentOf(DEFAULT_SEGMENT_CONFIG, { purchases: three }, now)).toBeUndefined();
  });

  it('makes a customer VIP when their net spend in 12 months passes the threshold of its currency', () => {
    expect(segmentOf(DEFAULT_SEGMENT_CONFIG, { purchases: [p('big', '2026-02-25', '5000.01')] }, now)).toBe('vip');
    // 5,100 dollars less a 200 dollar refund is 4,900: under the 5,000 threshold, so only new.
    const refunded = [p('big', '2026-02-25', '5100'), p('back', '2026-02-26', '-200')];
    expect(segmentOf(DEFAULT_SEGMENT_CONFIG, { purchases: refunded }, now)).toBe('new');
    // Spend in a currency without a threshold never makes a VIP.
    expect(segmentOf(DEFAULT_SEGMENT_CONFIG, { purchases: [p('yen', '2026-02-25', '9000000', 'JPY')] }, now)).toBe('new');
  });

  it('turns a new customer into no segment once the first purchase is more than 30 days old', () => {
    const once = { purchases: [p('o1', '2026-02-01', '10')], firstSeenAt: '2026-02-01T00:00:00.000Z' };
    expect(segmentOf(DEFAULT_SEGMENT_CONFIG, once, new Date('2026-03-02T00:00:00.000Z'))).toBe('new');
    expect(segmentOf(DEFAULT_SEGMENT_CONFIG, once, new Date('2026-03-04T00:00:00.000Z'))).toBeUndefined();
  });

  it('counts a recent first contact as new even when the purchase came later', () => {
    const input = { purchases: [p('o1', '2025-06-01', '10')], firstSeenAt: '2026-02-20T00:00:00.000Z' };
    // The first purchase (June 2025) is earlier than the first contact: the customer is not new.
    expect(segmentOf(DEFAULT_SEGMENT_CONFIG, input, now)).toBeUndefined();
    expect(segmentOf(DEFAULT_SEGMENT_CONFIG, { purchases: [], firstSeenAt: '2026-02-20T00:00:00.000Z' }, now)).toBe('new');
  });

  it('tries an admin\'s rules in their order: the first that holds names the segment', () => {
    const config: SegmentConfig = {
      rules: [
        { segment: 'whale', kind: 'spent_more_than', amounts: { USD: '150' }, withinDays: 365 },
        { segment: 'regular', kind: 'purchases_more_than', count: 1, withinDays: 30 },
      ],
    };
    // 180 dollars in the year passes 150.
    expect(segmentOf(config, { purchases: history }, now)).toBe('whale');
    // 100 dollars is under 150, and no two purchases fall in the last 30 days.
    expect(segmentOf(config, { purchases: history.slice(0, 1) }, now)).toBeUndefined();
  });

  it('refuses a config naming each bad rule field by its path', () => {
    try {
      parseSegmentConfig({
        rules: [
          { segment: 'VIP!', kind: 'spent_more_than', amounts: { USD: 'lots', XYZ: '1' }, withinDays: 365 },
          { segment: 'regular', kind: 'purchases_more_than', count: -1, withinDays: 0, extra: true },
          { segment: 'x', kind: 'sometimes', withinDays: 30 },
        ],
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields.map((f) => f.field).sort()).toEqual([
        'rules[0].amounts.USD', 'rules[0].amounts.XYZ', 'rules[0].segment',
        'rules[1].count', 'rules[1].extra', 'rules[1].withinDays', 'rules[2].kind',
      ]);
    }
  });

  it('accepts the defaults as a config', () => {
    expect(parseSegmentConfig(JSON.parse(JSON.stringify(DEFAULT_SEGMENT_CONFIG)))).toEqual(DEFAULT_SEGMENT_CONFIG);
  });
});

describe('purchase input', () => {
  const now = new Date('2026-12-02T12:00:00.000Z');

  it('reads a purchase with its amount as a decimal string, the email normalized and the time made UTC', () => {
    expect(
      parsePurchase({ orderId: 'A-1001', contact: { email: ' Ann@Example.COM ' }, amount: '149.90', currency: 'EUR', at: '2026-12-01T10:00:00+01:00' }, now),
    ).toEqual({ orderId: 'A-1001', contact: { email: 'ann@example.com' }, amount: '149.9', currency: 'EUR', at: '2026-12-01T09:00:00.000Z', atGiven: true });
  });

  it('takes a JSON number amount exactly as written, a refund as negative, and receipt time when no time is given', () => {
    const refund = parsePurchase({ orderId: 'R-1', contact: { phone: '030 1234567', country: 'DE' }, amount: -0.1, currency: 'USD' }, now);
    expect(refund).toEqual({ orderId: 'R-1', contact: { phone: '+49301234567' }, amount: '-0.1', currency: 'USD', at: now.toISOString(), atGiven: false });
  });

  it('answers with every problem by field: order id, contact, amount, currency, time and unknown fields', () => {
    try {
      parsePurchase({ orderId: 'has space', contact: { email: 'nope', phone: '12' }, amount: '1,5', currency: 'usd', at: '2027-01-01T00:00:00Z', price: 3 }, now);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields.map((f) => f.field).sort()).toEqual([
        'amount', 'at', 'contact.email', 'contact.phone', 'currency', 'orderId', 'price',
      ]);
    }
  });

  it('needs some way to find the customer, and refuses a zero amount', () => {
    try {
      parsePurchase({ orderId: 'A-1', contact: {}, amount: 0, currency: 'USD' }, now);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields.map((f) => f.field).sort()).toEqual(['amount', 'contact']);
    }
  });
});

describe('the segment report', () => {
  it('sums customers per segment and per acquisition channel, with CLV and check per currency', () => {
    const vip = { ...customerValueOf([p('a', '2026-01-01', '6000'), p('b', '2026-01-11', '2000')], '2026-01-01T00:00:00.000Z'), segment: 'vip', acquisitionChannel: 'google_ads' };
    const vip2 = { ...customerValueOf([p('c', '2026-02-01', '5500')], '2026-01-22T00:00:00.000Z'), segment: 'vip', acquisitionChannel: 'meta' };
    const plain = { ...customerValueOf([p('d', '2026-02-01', '40', 'EUR')]), acquisitionChannel: 'google_ads' };
    const report = segmentReportOf([vip, vip2, plain]);
    expect(report.segments.map((s) => s.name)).toEqual(['none', 'vip']);
    // Two VIPs: 8,000 + 5,500 dollars over 3 purchases; lifetimes of 10 and 10 days; one mean gap of 10 days.
    expect(report.segments[1]).toEqual({
      name: 'vip', customers: 2, purchases: 3, refunds: 0, revenue: { USD: '13500' }, averageClv: { USD: '6750' }, averageCheck: { USD: '4500' },
      averageDaysBetweenPurchases: '10', averageLifetimeDays: '10',
    });
    // CLV by acquisition channel keeps currencies apart: Google brought one dollar VIP and one euro customer.
    expect(report.acquisitionChannels.find((c) => c.name === 'google_ads')).toMatchObject({ customers: 2, revenue: { EUR: '40', USD: '8000' }, averageClv: { EUR: '40', USD: '8000' } });
  });
});

describe('value settings', () => {
  it('keeps the defaults for what an admin leaves out and names bad attribution settings', () => {
    expect(parseValueSettings({ attribution: { halfLifeDays: 14 } })).toEqual({ segments: DEFAULT_SEGMENT_CONFIG, attribution: { lookbackDays: 90, halfLifeDays: 14 } });
    try {
      parseValueSettings({ attribution: { lookbackDays: 0, decay: 1 }, segments: { rules: [{ segment: 'x', kind: 'new', withinDays: 'soon' }] } });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields.map((f) => f.field).sort()).toEqual(['attribution.decay', 'attribution.lookbackDays', 'segments.rules[0].withinDays']);
    }
  });
});
