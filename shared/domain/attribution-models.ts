import Big from 'big.js';

/**
 * Multi-model attribution: how one conversion's credit is shared among the touchpoints of the contact's
 * journey. Every model returns credits that sum to exactly 1 (decimals with `CREDIT_PLACES` places; the
 * rounding remainder goes to the touch with the largest share), so credited counts and revenue add up to
 * the conversions and revenue they came from.
 */

/** One touch of a journey, as the models see it. */
export interface JourneyTouch {
  /** Unique within the journey (the touchpoint's sort key). */
  id: string;
  at: string;
  channel: string;
  /** Direct traffic: no campaign, click id or referrer; last non-direct passes over it. */
  direct: boolean;
}

/** What converted and when; the anchors W-shaped needs besides the first touch. */
export interface Conversion {
  at: string;
  /** The touch that created the lead (the lead's own form, ad or call touch), if it is in the journey. */
  leadTouchId?: string;
  /** When the lead became an opportunity (the rep's sales qualification), if it did. */
  opportunityAt?: string;
}

export const MODELS = ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based', 'w_shaped'] as const;
export type ModelName = (typeof MODELS)[number];

export interface ModelOptions {
  /** Touches older than this many days before the conversion are outside the journey. */
  lookbackDays: number;
  /** Time decay: a touch this many days older than another gets half its weight. */
  halfLifeDays: number;
}

export const DEFAULT_MODEL_OPTIONS: ModelOptions = { lookbackDays: 90, halfLifeDays: 7 };

/** Decimal places of a credit: a millionth of a conversion. */
export const CREDIT_PLACES = 6;

export interface Credit {
  touchId: string;
  /** The touch's share of the conversion, a decimal string; a conversion's credits sum to 1. */
  credit: string;
}

const DAY_MS = 86_400_000;

/** Whether a text is a model name. */
export function isModel(name: string): name is ModelName {
  return (MODELS as readonly string[]).includes(name);
}

/**
 * The journey of a conversion: the touches at or before it and within the lookback window, oldest
 * first (ties by id, so the order never depends on how the touches were read).
 */
export function journeyOf<T extends JourneyTouch>(touches: readonly T[], conversion: Pick<Conversion, 'at'>, lookbackDays: number): T[] {
  const end = Date.parse(conversion.at);
  const start = end - lookbackDays * DAY_MS;
  return touches
    .filter((t) => {
      const at = Date.parse(t.at);
      return at <= end && at >= start;
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Turns weights into credits summing to exactly 1: each weight's share rounded to `CREDIT_PLACES`
 * (half up), and what rounding left over added to the largest share (the latest of equal ones).
 */
function normalize(journey: readonly JourneyTouch[], weights: Big[]): Credit[] {
  const total = weights.reduce((sum, w) => sum.plus(w), new Big(0));
  const shares = weights.map((w) => w.div(total).round(CREDIT_PLACES, Big.roundHalfUp));
  const rest = new Big(1).minus(shares.reduce((sum, s) => sum.plus(s), new Big(0)));
  if (!rest.eq(0)) {
    let largest = 0;
    shares.forEach((s, i) => {
      if (s.gte(shares[largest]!)) largest = i;
    });
    shares[largest] = shares[largest]!.plus(rest);
  }
  return journey.map((t, i) => ({ touchId: t.id, credit: shares[i]!.toFixed() }))
    .filter((c) => c.credit !== '0');
}

/** All of the conversion to one touch. */
function single(touch: JourneyTouch): Credit[] {
  return [{ touchId: touch.id, credit: '1' }];
}

/** Time decay weight: 2^(-age / half-life), age measured back from the conversion. */
function decayWeight(touch: JourneyTouch, conversionAt: number, halfLifeDays: number): Big {
  const ageDays = (conversionAt - Date.parse(touch.at)) / DAY_MS;
  // A float is enough for a weight; exactness matters only for the shares, which normalize makes exact.
  return new Big(2 ** (-ageDays / halfLifeDays));
}

/**
 * Position-based (U-shaped) 40/20/40: first and last touch 40 % each, the touches between share 20 %.
 * One touch takes everything; two share half each (there is no middle to give 20 % to).
 */
function positionWeights(n: number): Big[] {
  if (n === 1) return [new Big(1)];
  if (n === 2) return [new Big('0.5'), new Big('0.5')];
  const middle = new Big('0.2').div(n - 2);
  return Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? new Big('0.4') : middle));
}

/**
 * W-shaped 30/30/30/10, with HubSpot's anchors: the first interaction, the lead-creation interaction
 * (the touch that created the lead) and the deal-creation interaction (the last touch at or before the
 * lead became an opportunity). The anchors share 90 % and the other touches 10 %. When anchors fall on
 * the same touch or are missing, the distinct anchors share the 90 % equally (two: 45 % each; one:
 * 90 %), and when no other touch is left the anchors share everything, so two touches split 50/50 as in
 * position-based.
 */
function wShapedWeights(journey: readonly JourneyTouch[], conversion: Conversion): Big[] {
  const anchors = new Set<number>([0]);
  const lead = conversion.leadTouchId ? journey.findIndex((t) => t.id === conversion.leadTouchId) : -1;
  if (lead >= 0) anchors.add(lead);
  if (conversion.opportunityAt) {
    const until = Date.parse(conversion.opportunityAt);
    let opportunity = -1;
    journey.forEach((t, i) => {
      if (Date.parse(t.at) <= until) opportunity = i;
    });
    if (opportunity >= 0) anchors.add(opportunity);
  }
  const others = journey.length - anchors.size;
  const anchorShare = others === 0 ? new Big(1).div(anchors.size) : new Big('0.9').div(anchors.size);
  const otherShare = others === 0 ? new Big(0) : new Big('0.1').div(others);
  return journey.map((_, i) => (anchors.has(i) ? anchorShare : otherShare));
}

/**
 * The credits one model gives the touches of a journey (as `journeyOf` returns it) for a conversion.
 * An empty journey gets no credits: the caller reports the conversion as unattributed. Last non-direct
 * falls back to the last touch when every touch is direct.
 */
export function creditsOf(model: ModelName, journey: readonly JourneyTouch[], conversion: Conversion, options: ModelOptions = DEFAULT_MODEL_OPTIONS): Credit[] {
  if (journey.length === 0) return [];
  switch (model) {
    case 'first_touch':
      return single(journey[0]!);
    case 'last_touch':
      return single(journey.at(-1)!);
    case 'last_non_direct':
      return single(journey.findLast((t) => !t.direct) ?? journey.at(-1)!);
    case 'linear':
      return normalize(journey, journey.map(() => new Big(1)));
    case 'time_decay': {
      const at = Date.parse(conversion.at);
      return normalize(journey, journey.map((t) => decayWeight(t, at, options.halfLifeDays)));
    }
    case 'position_based':
      return normalize(journey, positionWeights(journey.length));
    case 'w_shaped':
      return normalize(journey, wShapedWeights(journey, conversion));
  }
}
