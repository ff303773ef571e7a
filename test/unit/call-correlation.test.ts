import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALL_STATES, type CallEvent } from '../../shared/domain/call-event.js';
import { callLookups, classifyCall, mergeCallEvent, type CallRecord } from '../../shared/domain/call-correlation.js';

function event(overrides: Partial<CallEvent> & Pick<CallEvent, 'eventId' | 'state'>): CallEvent {
  return { provider: 'mango_office', callId: 'E1', direction: 'inbound', occurredAt: '2026-03-02T12:00:00.000Z', attribution: {}, isTest: false, ...overrides };
}

function mergeAll(events: CallEvent[]): CallRecord {
  let record: CallRecord | undefined;
  for (const e of events) record = mergeCallEvent(record, e).record;
  return record!;
}

const ringing = event({ eventId: 'a', state: 'ringing', seq: 1, occurredAt: '2026-03-02T12:00:00Z', from: '+79161234567', trackingNumber: '+74951234567' });
const answered = event({ eventId: 'b', state: 'answered', seq: 2, occurredAt: '2026-03-02T12:00:10Z', agent: '101' });
const ended = event({ eventId: 'c', state: 'missed', seq: 3, occurredAt: '2026-03-02T12:01:00Z', agent: '102' });

describe('mergeCallEvent', () => {
  it('builds a record from a call\'s events in order', () => {
    const record = mergeAll([ringing, answered, ended]);
    expect(record).toMatchObject({
      callId: 'E1', direction: 'inbound', state: 'completed', from: '+79161234567', trackingNumber: '+74951234567', agent: '102',
      startedAt: '2026-03-02T12:00:00.000Z', answeredAt: '2026-03-02T12:00:10.000Z', endedAt: '2026-03-02T12:01:00.000Z',
      eventIds: ['a', 'b', 'c'], lastSeq: 3,
    });
  });

  it('reports no change when the same event is merged twice', () => {
    const once = mergeCallEvent(undefined, ringing);
    expect(once.changed).toBe(true);
    const twice = mergeCallEvent(once.record, ringing);
    expect(twice.changed).toBe(false);
    expect(twice.record).toEqual(once.record);
  });

  it('never moves a call back to ringing when a late ringing event arrives', () => {
    const record = mergeAll([answered, ringing]);
    expect(record.state).toBe('answered');
    expect(record.from).toBe('+79161234567');
  });

  it('keeps the field of the later sequence number whatever order the events came in', () => {
    expect(mergeAll([ended, answered]).agent).toBe('102');
    expect(mergeAll([answered, ended]).agent).toBe('102');
  });

  it('keeps a call that ended unanswered as missed, and one answered as completed', () => {
    expect(mergeAll([ringing, ended]).state).toBe('missed');
    expect(mergeAll([ended, ringing, answered]).state).toBe('completed');
  });

  it('refuses an event of another call', () => {
    expect(() => mergeCallEvent(mergeAll([ringing]), { ...answered, callId: 'E2' })).toThrow(/E2/);
  });

  it('merges any permutation of a call\'s events, with repeats, to the same record', () => {
    const attributionKey = fc.constantFrom('utm_source', 'utm_campaign', 'gclid');
    const eventArb = fc.record({
      state: fc.constantFrom(...CALL_STATES),
      seq: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      occurredAt: fc.integer({ min: 0, max: 600 }).map((s) => new Date(Date.UTC(2026, 2, 2, 12, 0, s)).toISOString()),
      direction: fc.constantFrom('inbound' as const, 'outbound' as const),
      from: fc.option(fc.constantFrom('+79161234567', '+79161234568'), { nil: undefined }),
      agent: fc.option(fc.constantFrom('101', '102', '103'), { nil: undefined }),
      durationSeconds: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
      attribution: fc.dictionary(attributionKey, fc.constantFrom('x', 'y')),
      isTest: fc.boolean(),
    });
    const scenario = fc
      .uniqueArray(eventArb, { minLength: 1, maxLength: 8 })
      .map((raw) => raw.map((e, i) => {
        const built = event({ eventId: `ev-${i}`, state: e.state, occurredAt: e.occurredAt, direction: e.direction, attribution: e.attribution, isTest: e.isTest });
        if (e.seq !== undefined) built.seq = e.seq;
        if (e.from !== undefined) built.from = e.from;
        if (e.agent !== undefined) built.agent = e.agent;
        if (e.durationSeconds !== undefined) built.durationSeconds = e.durationSeconds;
        return built;
      }))
      .chain((events) => fc.tuple(
        fc.constant(events),
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        fc.array(fc.constantFrom(...events), { maxLength: 10 }),
        fc.array(fc.nat(), { minLength: 10, maxLength: 10 }),
      ));
    fc.assert(
      fc.property(scenario, ([events, shuffled, repeats, positions]) => {
        const delivered = [...shuffled];
        repeats.forEach((repeat, i) => delivered.splice(positions[i]! % (delivered.length + 1), 0, repeat));
        expect(mergeAll(delivered)).toEqual(mergeAll(events));
      }),
      { numRuns: 500 },
    );
  });
});

describe('classifyCall', () => {
  const inbound = mergeAll([ringing]);
  const outbound = mergeAll([event({ eventId: 'o1', state: 'ringing', direction: 'outbound', from: '+74951234567', to: '+79161234567', agent: '101' })]);

  it('makes a new lead of an inbound call from an unknown number on its first, ringing event', () => {
    expect(inbound.state).toBe('ringing');
    expect(classifyCall(inbound, {})).toEqual({ kind: 'new-lead', phone: '+79161234567' });
  });

  it('keeps a missed inbound call from an unknown number a new lead', () => {
    expect(classifyCall(mergeAll([ringing, ended]), {}).kind).toBe('new-lead');
  });

  it('records a touchpoint for an inbound call from a known contact', () => {
    expect(classifyCall(inbound, { contact: { contactId: 'C1' } })).toEqual({ kind: 'touchpoint', contactId: 'C1' });
  });

  it('keeps a late event of the call that made the contact\'s lead a new lead, not a touchpoint on its own lead', () => {
    const knowledge = { contact: { contactId: 'C1' }, openLead: { leadId: 'L1' }, leadOfThisCall: { leadId: 'L1' } };
    expect(classifyCall(inbound, knowledge)).toEqual({ kind: 'new-lead', phone: '+79161234567' });
  });

  it('makes no lead of a hidden number, a rep calling in, an internal call or a test call', () => {
    expect(classifyCall({ ...inbound, from: undefined }, {}).kind).toBe('none');
    expect(classifyCall(inbound, { outsideRep: { repId: 'R1' } })).toEqual({ kind: 'none', why: 'the caller is rep R1' });
    expect(classifyCall({ ...inbound, direction: 'internal' }, {}).kind).toBe('none');
    expect(classifyCall({ ...inbound, isTest: true }, {}).kind).toBe('none');
  });

  it('counts an outbound call by the assigned rep to the lead as contacting it', () => {
    const knowledge = { openLead: { leadId: 'L1', ownerRepId: 'R1' }, rep: { repId: 'R1' } };
    expect(classifyCall(outbound, knowledge)).toEqual({ kind: 'contacted', leadId: 'L1', repId: 'R1' });
  });

  it('does not count an outbound call by another rep, by an unknown agent, or one that could not be placed', () => {
    expect(classifyCall(outbound, { openLead: { leadId: 'L1', ownerRepId: 'R1' }, rep: { repId: 'R2' } }).kind).toBe('none');
    expect(classifyCall(outbound, { openLead: { leadId: 'L1', ownerRepId: 'R1' } }).kind).toBe('none');
    expect(classifyCall({ ...outbound, state: 'failed' }, { openLead: { leadId: 'L1', ownerRepId: 'R1' }, rep: { repId: 'R1' } }).kind).toBe('none');
    expect(classifyCall(outbound, { rep: { repId: 'R1' } })).toEqual({ kind: 'none', why: 'no open lead has the called number' });
  });

  it('names what to look up: the outside phone, the agent and the business phone', () => {
    expect(callLookups(inbound)).toEqual({ outsidePhone: '+79161234567', businessPhone: '+74951234567' });
    expect(callLookups(outbound)).toEqual({ outsidePhone: '+79161234567', businessPhone: '+74951234567', agent: '101' });
  });
});
