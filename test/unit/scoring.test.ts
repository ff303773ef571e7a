import { describe, expect, it } from 'vitest';
import type { LeadCaptured } from '../../events/lead-captured.js';
import {
  defaultScoringConfig,
  factsOf,
  scoreLead,
  type Condition,
  type LeadFacts,
  type ScoringConfig,
} from '../../shared/domain/scoring.js';

function captured(overrides: Partial<LeadCaptured> = {}): LeadCaptured {
  return {
    version: 1,
    leadId: '01JLEAD',
    sourceId: 'site-main',
    channel: 'web_form',
    provider: 'html_form',
    externalIds: {},
    person: {},
    answers: {},
    attribution: {},
    capturedAt: '2026-03-05T10:00:00.000Z',
    isTest: false,
    rawRef: { pk: 'LEAD#01JLEAD', sk: 'RAW' },
    ...overrides,
  };
}

/** A config with one 10-point rule on the condition, so a score of 10 means it held. */
function holdsFor(condition: Condition, facts: LeadFacts): boolean {
  const config: ScoringConfig = { rules: [{ id: 'r', when: [condition], points: 10, reason: 'r' }], grades: [] };
  return scoreLead(facts, config).score === 10;
}

describe('scoring conditions', () => {
  it('present holds for a non-empty fact only', () => {
    const c: Condition = { fact: 'phone', op: 'present' };
    expect(holdsFor(c, { phone: '+16505550123' })).toBe(true);
    expect(holdsFor(c, { phone: '' })).toBe(false);
    expect(holdsFor(c, {})).toBe(false);
  });

  it('absent holds for a missing or empty fact only', () => {
    const c: Condition = { fact: 'phone', op: 'absent' };
    expect(holdsFor(c, {})).toBe(true);
    expect(holdsFor(c, { phone: '' })).toBe(true);
    expect(holdsFor(c, { phone: '+16505550123' })).toBe(false);
  });

  it('equals compares exactly and case-sensitively', () => {
    const c: Condition = { fact: 'channel', op: 'equals', value: 'web_form' };
    expect(holdsFor(c, { channel: 'web_form' })).toBe(true);
    expect(holdsFor(c, { channel: 'WEB_FORM' })).toBe(false);
    expect(holdsFor(c, {})).toBe(false);
  });

  it('in holds when the fact is one of the listed values', () => {
    const c: Condition = { fact: 'utm_source', op: 'in', values: ['google', 'bing'] };
    expect(holdsFor(c, { utm_source: 'bing' })).toBe(true);
    expect(holdsFor(c, { utm_source: 'facebook' })).toBe(false);
    expect(holdsFor(c, {})).toBe(false);
  });

  it('matches tests a regular expression case-insensitively', () => {
    const c: Condition = { fact: 'message', op: 'matches', pattern: '\\b(price|quote)\\b' };
    expect(holdsFor(c, { message: 'Can I get a QUOTE?' })).toBe(true);
    expect(holdsFor(c, { message: 'just browsing' })).toBe(false);
    expect(holdsFor(c, {})).toBe(false);
  });

  it('requires every condition of a rule to hold', () => {
    const config: ScoringConfig = {
      rules: [
        {
          id: 'google-with-phone',
          when: [
            { fact: 'utm_source', op: 'equals', value: 'google' },
            { fact: 'phone', op: 'present' },
          ],
          points: 25,
          reason: 'google lead with a phone',
        },
      ],
      grades: [],
    };
    expect(scoreLead({ utm_source: 'google', phone: '+1' }, config).score).toBe(25);
    expect(scoreLead({ utm_source: 'google' }, config).score).toBe(0);
    expect(scoreLead({ phone: '+1' }, config).score).toBe(0);
  });
});

describe('scoreLead', () => {
  const config: ScoringConfig = {
    rules: [
      { id: 'phone', when: [{ fact: 'phone', op: 'present' }], points: 30, reason: 'has phone' },
      { id: 'email', when: [{ fact: 'email', op: 'present' }], points: 20, reason: 'has email' },
      { id: 'spam', when: [{ fact: 'message', op: 'matches', pattern: 'casino' }], points: 0, reason: 'spam', disqualify: true },
      { id: 'test', when: [{ fact: 'isTest', op: 'equals', value: 'true' }], points: -100, reason: 'test lead' },
      { id: 'message', when: [{ fact: 'message', op: 'present' }], points: 10, reason: 'wrote' },
    ],
    // Deliberately unsorted: grades are taken from the highest threshold down.
    grades: [
      { grade: 'warm', min: 30 },
      { grade: 'hot', min: 50 },
      { grade: 'cool', min: 0 },
    ],
  };

  it('adds the points of every rule that fires and records each reason in rule order', () => {
    const result = scoreLead({ phone: '+1', email: 'a@acme.com', message: 'hello' }, config);
    expect(result).toEqual({
      score: 60,
      grade: 'hot',
      reasons: [
        { rule: 'phone', points: 30, reason: 'has phone', because: ['phone is present ("+1")'] },
        { rule: 'email', points: 20, reason: 'has email', because: ['email is present ("a@acme.com")'] },
        { rule: 'message', points: 10, reason: 'wrote', because: ['message is present ("hello")'] },
      ],
    });
  });

  it('gives the grade whose threshold the score reaches exactly', () => {
    expect(scoreLead({ phone: '+1', email: 'a@acme.com' }, config).grade).toBe('hot');
    expect(scoreLead({ phone: '+1' }, config).grade).toBe('warm');
    expect(scoreLead({ email: 'a@acme.com' }, config).grade).toBe('cool');
  });

  it('falls back to cold when the score is below every threshold', () => {
    const result = scoreLead({ isTest: 'true', phone: '+1' }, config);
    expect(result.score).toBe(-70);
    expect(result.grade).toBe('cold');
  });

  it('stops at a disqualifying rule, keeping the score so far and recording the reason', () => {
    const result = scoreLead({ phone: '+1', email: 'a@acme.com', message: 'Best CASINO bonus' }, config);
    expect(result).toEqual({
      score: 50,
      grade: 'disqualified',
      reasons: [
        { rule: 'phone', points: 30, reason: 'has phone', because: ['phone is present ("+1")'] },
        { rule: 'email', points: 20, reason: 'has email', because: ['email is present ("a@acme.com")'] },
        { rule: 'spam', points: 0, reason: 'spam', because: ['message matches /casino/ ("Best CASINO bonus")'] },
      ],
      disqualifiedBy: { rule: 'spam', points: 0, reason: 'spam', because: ['message matches /casino/ ("Best CASINO bonus")'] },
    });
  });

  it('does not disqualify when the disqualifying rule does not fire', () => {
    const result = scoreLead({ phone: '+1', message: 'hello' }, config);
    expect(result.disqualifiedBy).toBeUndefined();
    expect(result.grade).toBe('warm');
    expect(result.score).toBe(40);
  });

  it('scores zero with no reasons when no rule fires', () => {
    expect(scoreLead({}, config)).toEqual({ score: 0, grade: 'cool', reasons: [] });
  });

  it('does not reorder the grades of the config it is given', () => {
    scoreLead({ phone: '+1' }, config);
    expect(config.grades.map((g) => g.grade)).toEqual(['warm', 'hot', 'cool']);
  });
});

describe('factsOf', () => {
  it('exposes person, message, channel, provider, source and test flag as facts', () => {
    const facts = factsOf(
      captured({
        person: { name: 'Ann Lee', email: 'ann@acme.com', phone: '+16505550123' },
        message: 'hi',
        isTest: true,
      }),
    );
    expect(facts).toMatchObject({
      name: 'Ann Lee',
      email: 'ann@acme.com',
      phone: '+16505550123',
      message: 'hi',
      channel: 'web_form',
      provider: 'html_form',
      sourceId: 'site-main',
      isTest: 'true',
    });
  });

  it('calls an email at a free mailbox free and any other business', () => {
    expect(factsOf(captured({ person: { email: 'ann@gmail.com' } })).emailDomainType).toBe('free');
    expect(factsOf(captured({ person: { email: 'ann@acme.com' } })).emailDomainType).toBe('business');
    expect(factsOf(captured()).emailDomainType).toBeUndefined();
  });

  it('takes the first click id present, in gclid-first order', () => {
    expect(factsOf(captured({ attribution: { fbclid: 'fb-1', msclkid: 'ms-1' } })).clickId).toBe('fb-1');
    expect(factsOf(captured({ attribution: { ttclid: 'tt-1', gclid: 'g-1' } })).clickId).toBe('g-1');
    expect(factsOf(captured({ attribution: { utm_source: 'google' } })).clickId).toBeUndefined();
  });

  it('skips an empty click id in favour of the next one', () => {
    expect(factsOf(captured({ attribution: { gclid: '', yclid: 'y-1' } })).clickId).toBe('y-1');
  });

  it('copies attribution keys as facts and answers under answers.<name>', () => {
    const facts = factsOf(
      captured({
        attribution: { utm_source: 'google', landingPage: 'https://acme.com/' },
        answers: { budget: '10k', 'company size': '50' },
      }),
    );
    expect(facts.utm_source).toBe('google');
    expect(facts.landingPage).toBe('https://acme.com/');
    expect(facts['answers.budget']).toBe('10k');
    expect(facts['answers.company size']).toBe('50');
  });

  it('writes isTest false as the string "false"', () => {
    expect(factsOf(captured()).isTest).toBe('false');
  });
});

describe('defaultScoringConfig', () => {
  it('grades a rich lead hot with every default reason', () => {
    const result = scoreLead(
      factsOf(
        captured({
          person: { name: 'Ann Lee', email: 'ann@acme.com', phone: '+16505550123' },
          message: 'Need a quote',
          attribution: { gclid: 'Cj0KCQ' },
        }),
      ),
      defaultScoringConfig,
    );
    expect(result.score).toBe(90);
    expect(result.grade).toBe('hot');
    expect(result.reasons.map((r) => r.rule)).toEqual([
      'has-phone',
      'has-email',
      'business-email',
      'has-message',
      'paid-click',
      'named',
    ]);
  });

  it('grades a bare lead with a free-mailbox email cold', () => {
    const result = scoreLead(factsOf(captured({ person: { email: 'ann@gmail.com' } })), defaultScoringConfig);
    expect(result).toEqual({
      score: 20,
      grade: 'cold',
      reasons: [{ rule: 'has-email', points: 20, reason: 'left a valid email address', because: ['email is present ("ann@gmail.com")'] }],
    });
  });

  it('grades a phone-only lead warm', () => {
    const result = scoreLead(factsOf(captured({ person: { phone: '+16505550123' } })), defaultScoringConfig);
    expect(result.score).toBe(30);
    expect(result.grade).toBe('warm');
  });

  it('gives a business email 15 points more than a free one', () => {
    const free = scoreLead(factsOf(captured({ person: { email: 'ann@gmail.com' } })), defaultScoringConfig);
    const business = scoreLead(factsOf(captured({ person: { email: 'ann@acme.com' } })), defaultScoringConfig);
    expect(business.score - free.score).toBe(15);
  });
});

describe('factsOf, for rules over source, campaign, country and score', () => {
  it('names the source and the campaign, preferring utm_campaign to the platform id', () => {
    expect(factsOf(captured({ attribution: { utm_campaign: 'spring', campaignId: '123' } }))).toMatchObject({
      source: 'site-main',
      campaign: 'spring',
    });
    expect(factsOf(captured({ attribution: { campaignId: '123' } })).campaign).toBe('123');
    expect(factsOf(captured()).campaign).toBeUndefined();
  });

  it('takes the country from the phone number and calls it valid', () => {
    expect(factsOf(captured({ person: { phone: '+4915123456789' } }))).toMatchObject({ country: 'DE', phoneValid: 'true' });
    expect(factsOf(captured({ person: { phone: '+16505550123' } })).country).toBe('US');
  });

  it('calls a phone kept only as written invalid, and has no phone facts without a phone', () => {
    expect(factsOf(captured({ person: { phoneRaw: '12' } }))).toMatchObject({ phoneValid: 'false' });
    expect(factsOf(captured({ person: { phoneRaw: '12' } })).country).toBeUndefined();
    expect(factsOf(captured()).phoneValid).toBeUndefined();
  });

  it('counts the links in the message and flags a disposable email', () => {
    const facts = factsOf(captured({ message: 'see http://a.io and www.b.io, https://c.io', person: { email: 'x@yopmail.com' } }));
    expect(facts.messageLinks).toBe('3');
    expect(facts.emailDisposable).toBe('true');
    expect(factsOf(captured({ message: 'hello', person: { email: 'x@acme.com' } }))).toMatchObject({
      messageLinks: '0',
      emailDisposable: 'false',
    });
  });

  it('adds score and grade for a lead already scored, so routing rules can use them', () => {
    expect(factsOf({ ...captured(), score: 75, grade: 'hot' })).toMatchObject({ score: '75', grade: 'hot' });
    expect(factsOf(captured()).score).toBeUndefined();
  });
});

describe('defaultScoringConfig disqualifies', () => {
  const disqualifiedBy = (overrides: Partial<LeadCaptured>) =>
    scoreLead(factsOf(captured({ person: { name: 'Ann', email: 'ann@acme.com' }, ...overrides })), defaultScoringConfig)
      .disqualifiedBy?.rule;

  it('a lead whose honeypot field was filled', () => {
    expect(disqualifiedBy({ answers: { _honeypot: 'yes' } })).toBe('honeypot');
  });

  it('a test lead', () => {
    expect(disqualifiedBy({ isTest: true })).toBe('test-lead');
  });

  it('a lead at a disposable mailbox', () => {
    expect(disqualifiedBy({ person: { email: 'bot@guerrillamail.com' } })).toBe('disposable-email');
  });

  it('a name holding a link', () => {
    expect(disqualifiedBy({ person: { name: 'Cheap pills http://spam.example' } })).toBe('spam-link-in-name');
    expect(disqualifiedBy({ person: { name: 'visit www.spam.example' } })).toBe('spam-link-in-name');
  });

  it('a message of three or more links', () => {
    expect(disqualifiedBy({ message: 'http://a.example http://b.example https://c.example' })).toBe('spam-links-in-message');
  });

  it('a message repeating one character ten times', () => {
    expect(disqualifiedBy({ message: 'aaaaaaaaaa' })).toBe('spam-repeated-characters');
    expect(disqualifiedBy({ message: 'ЫЫЫЫЫЫЫЫЫЫЫЫ' })).toBe('spam-repeated-characters');
  });

  it('none of an ordinary lead, even one with a link, a separator line or a long number', () => {
    expect(disqualifiedBy({ message: 'Our site is https://acme.example, call me\n----------\nthanks' })).toBeUndefined();
    expect(disqualifiedBy({ message: 'Order 100000 units please' })).toBeUndefined();
  });

  it('records why the rule fired, quoting what it saw', () => {
    const result = scoreLead(factsOf(captured({ answers: { _honeypot: 'x' } })), defaultScoringConfig);
    expect(result.grade).toBe('disqualified');
    expect(result.disqualifiedBy?.because).toEqual(['answers._honeypot is present ("x")']);
  });
});
