import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditsOf, journeyOf, MODELS, type Conversion, type JourneyTouch } from '../../shared/domain/attribution-models.js';

/**
 * The worked journey: four touches before a conversion at midnight on 29 March, 28, 14, 7 and 0 days
 * before it. `a` is a Google Ads click, `b` a direct visit, `c` a newsletter click, `d` a direct form
 * submission that created the lead.
 */
const journey: JourneyTouch[] = [
  { id: 'a', at: '2026-03-01T00:00:00.000Z', channel: 'google_ads', direct: false },
  { id: 'b', at: '2026-03-15T00:00:00.000Z', channel: 'direct', direct: true },
  { id: 'c', at: '2026-03-22T00:00:00.000Z', channel: 'newsletter', direct: false },
  { id: 'd', at: '2026-03-29T00:00:00.000Z', channel: 'direct', direct: true },
];
const conversion: Conversion = { at: '2026-03-29T00:00:00.000Z', leadTouchId: 'd' };

const asMap = (credits: Array<{ touchId: string; credit: string }>) => Object.fromEntries(credits.map((c) => [c.touchId, c.credit]));

describe('attribution models, by hand', () => {
  it('first touch gives the whole conversion to the Google Ads click 28 days before', () => {
    expect(asMap(creditsOf('first_touch', journey, conversion))).toEqual({ a: '1' });
  });

  it('last touch gives it to the direct form submission', () => {
    expect(asMap(creditsOf('last_touch', journey, conversion))).toEqual({ d: '1' });
  });

  it('last non-direct passes over the direct submission to the newsletter click', () => {
    expect(asMap(creditsOf('last_non_direct', journey, conversion))).toEqual({ c: '1' });
  });

  it('last non-direct falls back to the last touch when every touch is direct', () => {
    const allDirect = journey.map((t) => ({ ...t, direct: true }));
    expect(asMap(creditsOf('last_non_direct', allDirect, conversion))).toEqual({ d: '1' });
  });

  it('linear gives each of four touches a quarter', () => {
    expect(asMap(creditsOf('linear', journey, conversion))).toEqual({ a: '0.25', b: '0.25', c: '0.25', d: '0.25' });
  });

  it('linear over three touches rounds to millionths and gives the left-over millionth to the latest', () => {
    expect(asMap(creditsOf('linear', journey.slice(1), conversion))).toEqual({ b: '0.333333', c: '0.333333', d: '0.333334' });
  });

  it('time decay with a 7-day half-life weighs 1/16, 1/4, 1/2 and 1: 1/29, 4/29, 8/29 and 16/29 of the conversion', () => {
    // 1/29 = 0.0344827.., 4/29 = 0.1379310.., 8/29 = 0.2758620.., 16/29 = 0.5517241.. (half up to millionths).
    expect(asMap(creditsOf('time_decay', journey, conversion))).toEqual({ a: '0.034483', b: '0.137931', c: '0.275862', d: '0.551724' });
  });

  it('time decay takes its half-life from the options: 14 days make a touch 14 days old weigh half, 1/3 against 2/3', () => {
    const two = [journey[1]!, journey[3]!];
    expect(asMap(creditsOf('time_decay', two, conversion, { lookbackDays: 90, halfLifeDays: 14 }))).toEqual({ b: '0.333333', d: '0.666667' });
  });

  it('position-based gives first and last 40 % each and the two between 10 % each', () => {
    expect(asMap(creditsOf('position_based', journey, conversion))).toEqual({ a: '0.4', b: '0.1', c: '0.1', d: '0.4' });
  });

  it('position-based splits two touches 50/50 and gives a single touch everything', () => {
    expect(asMap(creditsOf('position_based', journey.slice(2), conversion))).toEqual({ c: '0.5', d: '0.5' });
    expect(asMap(creditsOf('position_based', journey.slice(3), conversion))).toEqual({ d: '1' });
  });

  it('W-shaped gives first touch, lead creation and opportunity 30 % each and the rest 10 %', () => {
    // The lead was created by the direct visit b; the rep qualified it on 25 March, after the newsletter click c.
    const w = creditsOf('w_shaped', journey, { at: conversion.at, leadTouchId: 'b', opportunityAt: '2026-03-25T00:00:00.000Z' });
    expect(asMap(w)).toEqual({ a: '0.3', b: '0.3', c: '0.3', d: '0.1' });
  });

  it('W-shaped with two distinct anchors (no opportunity) gives them 45 % each and the other two 5 % each', () => {
    expect(asMap(creditsOf('w_shaped', journey, conversion))).toEqual({ a: '0.45', b: '0.05', c: '0.05', d: '0.45' });
  });

  it('W-shaped with every touch an anchor shares everything among the anchors', () => {
    const two = journey.slice(2);
    expect(asMap(creditsOf('w_shaped', two, { at: conversion.at, leadTouchId: 'd' }))).toEqual({ c: '0.5', d: '0.5' });
    const three = journey.slice(1);
    expect(asMap(creditsOf('w_shaped', three, { at: conversion.at, leadTouchId: 'c', opportunityAt: conversion.at }))).toEqual({
      b: '0.333333', c: '0.333333', d: '0.333334',
    });
  });

  it('W-shaped with only the first touch as anchor gives it 90 % and the others share 10 %', () => {
    // A shop purchase: no lead created it and nobody qualified it.
    expect(asMap(creditsOf('w_shaped', journey.slice(1), { at: conversion.at }))).toEqual({ b: '0.9', c: '0.05', d: '0.05' });
  });

  it('the journey keeps only touches within the lookback window and not after the conversion', () => {
    const later = { id: 'e', at: '2026-03-30T00:00:00.000Z', channel: 'meta', direct: false };
    const within20 = journeyOf([later, ...journey].reverse(), conversion, 20);
    expect(within20.map((t) => t.id)).toEqual(['b', 'c', 'd']);
    expect(asMap(creditsOf('first_touch', within20, conversion))).toEqual({ b: '1' });
  });

  it('gives no credits for an empty journey, so the caller can report the conversion as unattributed', () => {
    for (const model of MODELS) expect(creditsOf(model, [], conversion)).toEqual([]);
  });
});

describe('attribution models, for any journey', () => {
  const touches = fc
    .array(fc.record({ offsetMinutes: fc.integer({ min: 0, max: 90 * 24 * 60 }), direct: fc.boolean() }), { minLength: 1, maxLength: 15 })
    .map((list) =>
      list.map((t, i) => ({
        id: `t${String(i).padStart(2, '0')}`,
        at: new Date(Date.parse(conversion.at) - t.offsetMinutes * 60_000).toISOString(),
        channel: t.direct ? 'direct' : 'google_ads',
        direct: t.direct,
      })),
    );

  it('every model gives each conversion credits that sum to exactly 1, none negative', () => {
    fc.assert(
      fc.property(
        touches,
        fc.constantFrom(...MODELS),
        fc.nat(20),
        fc.option(fc.integer({ min: 0, max: 90 * 24 * 60 })),
        fc.integer({ min: 1, max: 60 }),
        (list, model, leadIndex, opportunityMinutes, halfLifeDays) => {
          const path = journeyOf(list, conversion, 90);
          const at = opportunityMinutes === null ? undefined : new Date(Date.parse(conversion.at) - opportunityMinutes * 60_000).toISOString();
          const credits = creditsOf(model, path, { at: conversion.at, leadTouchId: list[leadIndex]?.id, opportunityAt: at }, { lookbackDays: 90, halfLifeDays });
          const sum = credits.reduce((s, c) => s.plus(c.credit), new Big(0));
          expect(sum.eq(1)).toBe(true);
          for (const c of credits) expect(new Big(c.credit).gte(0)).toBe(true);
          expect(new Set(credits.map((c) => c.touchId)).size).toBe(credits.length);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
