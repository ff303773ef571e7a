import { describe, expect, it } from 'vitest';
import {
  InvalidEventPatternError,
  compileEventPattern,
  matchesEventPattern,
  validateEventPattern,
  type EventPattern,
} from '../../infra/local/event-pattern.js';

// Patterns and events below follow the examples of the AWS pages "Amazon EventBridge event patterns",
// "Matching null values and empty strings", "Arrays in Amazon EventBridge event patterns" and
// "Content filtering in Amazon EventBridge event patterns", plus the Event Ruler README for $or and arrays.

function ec2Event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
    ...overrides,
  };
}

function withDetail(detail: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return ec2Event({ detail, ...overrides });
}

function expectInvalid(pattern: unknown, message: string): void {
  expect(() => validateEventPattern(pattern)).toThrow(InvalidEventPatternError);
  expect(() => validateEventPattern(pattern)).toThrow(message);
}

describe('event patterns', () => {
  it('matches the EC2 instance-termination pattern on source, detail-type and detail.state', () => {
    const pattern = {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    };
    expect(matchesEventPattern(pattern, ec2Event())).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ state: 'running' }))).toBe(false);
    expect(matchesEventPattern(pattern, ec2Event({ source: 'aws.s3' }))).toBe(false);
  });

  it('matches when the event value equals any value in the pattern array', () => {
    const pattern = { source: ['aws.ec2', 'aws.fargate'] };
    expect(matchesEventPattern(pattern, ec2Event({ source: 'aws.fargate' }))).toBe(true);
    expect(matchesEventPattern(pattern, ec2Event({ source: 'aws.lambda' }))).toBe(false);
  });

  it('fails to match when a field named in the pattern is absent from the event', () => {
    const pattern = { detail: { 'c-count': [5] } };
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 5 }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ state: 'terminated' }))).toBe(false);
  });

  it('ignores event fields that the pattern does not mention', () => {
    const pattern = { detail: { state: ['terminated'] } };
    expect(matchesEventPattern(pattern, withDetail({ state: 'terminated', extra: { deep: [1, 2] } }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ extra: 'terminated' }))).toBe(false);
  });

  it('matches the Macie alert on nested risk-score and trigger.risk', () => {
    const pattern = {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    };
    const alert = (riskScore: number, risk: number) =>
      ec2Event({
        source: 'aws.macie',
        'detail-type': 'Macie Alert',
        detail: {
          'notification-type': 'ALERT_CREATED',
          'risk-score': riskScore,
          trigger: { 'alert-type': 'basic', risk },
        },
      });
    expect(matchesEventPattern(pattern, alert(80, 8))).toBe(true);
    expect(matchesEventPattern(pattern, alert(80, 7))).toBe(false);
    expect(matchesEventPattern(pattern, alert(79, 8))).toBe(false);
  });

  it('requires nested pattern objects to meet an object in the event', () => {
    const pattern = { detail: { trigger: { risk: [8] } } };
    expect(matchesEventPattern(pattern, withDetail({ trigger: { risk: 8 } }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ trigger: 8 }))).toBe(false);
  });

  it('matches field names case-sensitively', () => {
    const pattern = { detail: { State: ['terminated'] } };
    expect(matchesEventPattern(pattern, withDetail({ State: 'terminated' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ state: 'terminated' }))).toBe(false);
  });

  it('matches string values exactly, without case folding', () => {
    const pattern = { 'detail-type': ['EC2 Instance State-change Notification'] };
    expect(matchesEventPattern(pattern, ec2Event())).toBe(true);
    expect(
      matchesEventPattern(pattern, ec2Event({ 'detail-type': 'ec2 instance state-change notification' })),
    ).toBe(false);
  });

  it('never matches an event that is not a JSON object', () => {
    const pattern = { source: ['aws.ec2'] };
    expect(matchesEventPattern(pattern, ec2Event())).toBe(true);
    expect(matchesEventPattern(pattern, 'aws.ec2')).toBe(false);
    expect(matchesEventPattern(pattern, [ec2Event()])).toBe(false);
  });

  it('compiles a pattern once into a reusable predicate', () => {
    const matches = compileEventPattern({ source: ['aws.ec2'] });
    expect(matches(ec2Event())).toBe(true);
    expect(matches(ec2Event({ source: 'aws.s3' }))).toBe(false);
  });
});

describe('type sensitivity, null and empty strings', () => {
  it('does not match the string "5" against the number 5', () => {
    expect(matchesEventPattern({ detail: { count: [5] } }, withDetail({ count: 5 }))).toBe(true);
    expect(matchesEventPattern({ detail: { count: [5] } }, withDetail({ count: '5' }))).toBe(false);
    expect(matchesEventPattern({ detail: { count: ['5'] } }, withDetail({ count: 5 }))).toBe(false);
  });

  it('compares numbers by value, so 300 matches 300.0 and 3.0e2', () => {
    const pattern = { detail: { number: [300] } };
    expect(matchesEventPattern(pattern, JSON.parse('{"detail": {"number": 300.0}}'))).toBe(true);
    expect(matchesEventPattern(pattern, JSON.parse('{"detail": {"number": 3.0e2}}'))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ number: 300.5 }))).toBe(false);
  });

  it('matches booleans only against JSON booleans', () => {
    const pattern = { detail: { enabled: [true] } };
    expect(matchesEventPattern(pattern, withDetail({ enabled: true }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ enabled: 'true' }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail({ enabled: false }))).toBe(false);
  });

  it('matches responseElements null with a [null] pattern', () => {
    const pattern = {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    };
    const launch = (responseElements: unknown) =>
      ec2Event({
        source: 'aws.autoscaling',
        'detail-type': 'EC2 Instance Launch Successful',
        resources: [],
        detail: { eventVersion: '', responseElements },
      });
    expect(matchesEventPattern(pattern, launch(null))).toBe(true);
    expect(matchesEventPattern(pattern, launch(''))).toBe(false);
    expect(matchesEventPattern(pattern, launch('null'))).toBe(false);
  });

  it('matches an empty eventVersion with an empty-string pattern but not null', () => {
    const pattern = { detail: { eventVersion: [''] } };
    expect(matchesEventPattern(pattern, withDetail({ eventVersion: '', responseElements: null }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ eventVersion: null }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail({ eventVersion: '1.0' }))).toBe(false);
  });

  it('does not match a missing field with a [null] pattern', () => {
    const pattern = { detail: { responseElements: [null] } };
    expect(matchesEventPattern(pattern, withDetail({ responseElements: null }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ eventVersion: '' }))).toBe(false);
  });
});

describe('arrays', () => {
  const asgTerminate =
    'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:' +
    'eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate';
  const resourcesPattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };

  it('matches when the pattern array and the event resources array intersect', () => {
    const event = ec2Event({
      resources: [
        asgTerminate,
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    });
    expect(matchesEventPattern(resourcesPattern, event)).toBe(true);
  });

  it('does not match when the pattern array and the event resources array are disjoint', () => {
    const event = ec2Event({
      resources: [
        asgTerminate,
      ],
    });
    expect(matchesEventPattern(resourcesPattern, event)).toBe(false);
  });

  it('treats an empty event array as having no value, so [null] does not match it', () => {
    expect(matchesEventPattern({ resources: [null] }, ec2Event({ resources: [null] }))).toBe(true);
    expect(matchesEventPattern({ resources: [null] }, ec2Event({ resources: [] }))).toBe(false);
  });

  it('searches an array of objects for an element that matches a nested pattern', () => {
    const pattern = { employees: { firstName: ['Anna'] } };
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    expect(matchesEventPattern(pattern, event)).toBe(true);
    expect(matchesEventPattern({ employees: { firstName: ['Maria'] } }, event)).toBe(false);
  });

  it('requires all fields of a nested pattern to match within the same array element', () => {
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    expect(matchesEventPattern({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, event)).toBe(true);
    expect(matchesEventPattern({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
  });

  it('crushes multi-level arrays of objects when searching for a match', () => {
    const event = {
      employees: [
        [
          { firstName: 'John', lastName: 'Doe' },
          { firstName: 'Anna', lastName: 'Smith' },
        ],
        [{ firstName: 'Peter', lastName: 'Jones' }],
      ],
    };
    expect(matchesEventPattern({ employees: { firstName: ['Peter'], lastName: ['Jones'] } }, event)).toBe(true);
    expect(matchesEventPattern({ employees: { firstName: ['Peter'], lastName: ['Doe'] } }, event)).toBe(false);
  });

  it('matches operators against any element of an event array', () => {
    const pattern = { detail: { tags: [{ prefix: 'env:' }] } };
    expect(matchesEventPattern(pattern, withDetail({ tags: ['team:growth', 'env:prod'] }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ tags: ['team:growth', 'tier:gold'] }))).toBe(false);
  });
});

describe('prefix and suffix matching', () => {
  it('matches a prefix pattern on time', () => {
    const pattern = { time: [{ prefix: '2017-10-02' }] };
    expect(matchesEventPattern(pattern, ec2Event({ time: '2017-10-02T18:43:48Z' }))).toBe(true);
    expect(matchesEventPattern(pattern, ec2Event({ time: '2017-10-03T18:43:48Z' }))).toBe(false);
  });

  it('matches Auto Scaling events from European regions with a prefix on region', () => {
    const pattern = { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] };
    expect(matchesEventPattern(pattern, ec2Event({ source: 'aws.autoscaling', region: 'eu-west-1' }))).toBe(true);
    expect(matchesEventPattern(pattern, ec2Event({ source: 'aws.autoscaling', region: 'us-east-1' }))).toBe(false);
  });

  it('applies prefix matching to strings only', () => {
    const pattern = { detail: { code: [{ prefix: '12' }] } };
    expect(matchesEventPattern(pattern, withDetail({ code: '123' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ code: 123 }))).toBe(false);
  });

  it('matches a prefix on detail.service regardless of case', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    expect(matchesEventPattern(pattern, withDetail({ service: 'EventBridge' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ service: 'eventbridge' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ service: 'Lambda' }))).toBe(false);
  });

  it('matches a suffix pattern on FileName', () => {
    const pattern = { FileName: [{ suffix: '.png' }] };
    expect(matchesEventPattern(pattern, { FileName: 'image.png' })).toBe(true);
    expect(matchesEventPattern(pattern, { FileName: 'image.PNG' })).toBe(false);
    expect(matchesEventPattern(pattern, { FileName: 'image.png.bak' })).toBe(false);
  });

  it('matches a suffix on detail.FileName regardless of case', () => {
    const pattern = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expect(matchesEventPattern(pattern, withDetail({ FileName: 'image.PNG' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ FileName: 'image.jpg' }))).toBe(false);
  });
});

describe('equals-ignore-case and wildcard matching', () => {
  it('matches detail-type with equals-ignore-case', () => {
    const pattern = { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] };
    expect(matchesEventPattern(pattern, ec2Event())).toBe(true);
    expect(matchesEventPattern(pattern, ec2Event({ 'detail-type': 'EC2 Instance Launch Successful' }))).toBe(false);
  });

  it('matches only the empty string with an empty equals-ignore-case value', () => {
    const pattern = { detail: { value: [{ 'equals-ignore-case': '' }] } };
    expect(matchesEventPattern(pattern, withDetail({ value: '' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ value: 'test-value' }))).toBe(false);
  });

  it('matches an EventBusArn with a wildcard for account and bus name', () => {
    const pattern = { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] };
    expect(
      matchesEventPattern(pattern, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus' }),
    ).toBe(true);
    expect(
      matchesEventPattern(pattern, { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/myEventBus' }),
    ).toBe(false);
  });

  it('lets a wildcard match zero characters', () => {
    const pattern = { source: [{ wildcard: 'Simple*Service' }] };
    expect(matchesEventPattern(pattern, { source: 'SimpleService' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'Simple Notification Service' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'SimpleServices' })).toBe(false);
  });

  it('matches repeated path segments after a wildcard', () => {
    const pattern = { FileName: [{ wildcard: '/Users/*/dir/dir/dir/dir/dir/doc.txt' }] };
    expect(matchesEventPattern(pattern, { FileName: '/Users/ls_user/dir/dir/dir/dir/dir/doc.txt' })).toBe(true);
    expect(matchesEventPattern(pattern, { FileName: '/Users/ls_user/dir/dir/dir/dir/doc.txt' })).toBe(false);
  });

  it('treats an escaped asterisk in a wildcard as a literal asterisk', () => {
    const pattern = { detail: { name: [{ wildcard: 'a\\*b*' }] } };
    expect(matchesEventPattern(pattern, withDetail({ name: 'a*bc' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ name: 'axbc' }))).toBe(false);
  });

  it('allows a wildcard right after an escaped asterisk and reads an escaped backslash literally', () => {
    const pattern = { detail: { name: [{ wildcard: 'a\\**\\\\' }] } };
    expect(matchesEventPattern(pattern, withDetail({ name: 'a*xyz\\' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ name: 'axyz\\' }))).toBe(false);
  });

  it('applies wildcard matching to strings only', () => {
    const pattern = { detail: { code: [{ wildcard: '1*' }] } };
    expect(matchesEventPattern(pattern, withDetail({ code: '17' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ code: 17 }))).toBe(false);
  });
});

describe('anything-but matching', () => {
  it('matches any detail.state except initializing', () => {
    const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matchesEventPattern(pattern, withDetail({ state: 'running' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ state: 'initializing' }))).toBe(false);
  });

  it('matches any detail.x-limit except 123', () => {
    const pattern = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
    expect(matchesEventPattern(pattern, withDetail({ 'x-limit': 789 }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ 'x-limit': 123 }))).toBe(false);
  });

  it('excludes every state in an anything-but list of strings', () => {
    const pattern = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matchesEventPattern(pattern, withDetail({ state: 'running' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ state: 'overloaded' }))).toBe(false);
  });

  it('excludes every number in an anything-but list of numbers', () => {
    const pattern = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(matchesEventPattern(pattern, withDetail({ 'x-limit': 301.8 }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ 'x-limit': 200 }))).toBe(false);
  });

  it('matches any detail-type except AWS API Call via CloudTrail', () => {
    const pattern = { 'detail-type': [{ 'anything-but': 'AWS API Call via CloudTrail' }] };
    expect(matchesEventPattern(pattern, ec2Event())).toBe(true);
    expect(matchesEventPattern(pattern, ec2Event({ 'detail-type': 'AWS API Call via CloudTrail' }))).toBe(false);
  });

  it('matches events from any source except EC2 and S3', () => {
    const pattern = { source: [{ 'anything-but': ['aws.ec2', 'aws.s3'] }] };
    expect(matchesEventPattern(pattern, ec2Event({ source: 'aws.lambda' }))).toBe(true);
    expect(matchesEventPattern(pattern, ec2Event({ source: 'aws.s3' }))).toBe(false);
  });

  it('matches states without the init prefix with anything-but prefix', () => {
    const pattern = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
    expect(matchesEventPattern(pattern, withDetail({ state: 'post-init' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ state: 'initializing' }))).toBe(false);
  });

  it('selects only custom events by excluding sources that start with aws.', () => {
    const pattern = { source: [{ 'anything-but': { prefix: 'aws.' } }] };
    expect(matchesEventPattern(pattern, ec2Event({ source: 'com.leadflow.intake' }))).toBe(true);
    expect(matchesEventPattern(pattern, ec2Event({ source: 'aws.ec2' }))).toBe(false);
  });

  it('matches file names that do not end in .txt with anything-but suffix', () => {
    const pattern = { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } };
    expect(matchesEventPattern(pattern, withDetail({ FileName: 'notes.txt.bak' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ FileName: 'notes.txt' }))).toBe(false);
  });

  it('excludes initializing in any casing with anything-but equals-ignore-case', () => {
    const pattern = { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } };
    expect(matchesEventPattern(pattern, withDetail({ state: 'running' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ state: 'INITIALIZING' }))).toBe(false);
  });

  it('excludes a list of states in any casing with anything-but equals-ignore-case', () => {
    const pattern = { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] } };
    expect(matchesEventPattern(pattern, withDetail({ state: 'pending' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ state: 'Stopped' }))).toBe(false);
  });

  it('excludes file paths that include /lib/ with anything-but wildcard', () => {
    const pattern = { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } };
    expect(matchesEventPattern(pattern, withDetail({ FilePath: '/usr/bin/node' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ FilePath: '/usr/lib/node' }))).toBe(false);
  });

  it('excludes several wildcards with an anything-but wildcard list', () => {
    const pattern = { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } };
    expect(matchesEventPattern(pattern, withDetail({ FilePath: '/usr/share/node' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ FilePath: '/usr/bin/node' }))).toBe(false);
  });

  it('does not match anything-but when the field is missing', () => {
    const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matchesEventPattern(pattern, withDetail({ state: 'running' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({}))).toBe(false);
  });

  it('matches anything-but against null and values of another type', () => {
    const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matchesEventPattern(pattern, withDetail({ state: null }))).toBe(true);
    expect(matchesEventPattern({ detail: { x: [{ 'anything-but': 123 }] } }, withDetail({ x: '123' }))).toBe(true);
    expect(matchesEventPattern({ detail: { x: [{ 'anything-but': 123 }] } }, withDetail({ x: 123 }))).toBe(false);
  });

  it('matches anything-but prefix and wildcard against non-string values', () => {
    expect(
      matchesEventPattern({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, withDetail({ state: 12 })),
    ).toBe(true);
    expect(
      matchesEventPattern(
        { detail: { path: [{ 'anything-but': { wildcard: '*/dir/*' } }] } },
        withDetail({ path: 123 }),
      ),
    ).toBe(true);
    expect(
      matchesEventPattern(
        { detail: { path: [{ 'anything-but': { wildcard: '*/dir/*' } }] } },
        withDetail({ path: 'a/dir/b' }),
      ),
    ).toBe(false);
  });

  it('matches anything-but on an event array when any element is not excluded', () => {
    const pattern = { detail: { price: [{ 'anything-but': [100, 500] }] } };
    expect(matchesEventPattern(pattern, withDetail({ price: [100, 50] }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ price: [100, 500] }))).toBe(false);
  });
});

describe('numeric matching', () => {
  const pattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };

  it('matches only when every numeric field is in range', () => {
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 5, 'd-count': 10, 'x-limit': 301.8 }))).toBe(false);
  });

  it('excludes the open lower bound and includes the closed upper bound of a range', () => {
    const range = { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } };
    expect(matchesEventPattern(range, withDetail({ 'c-count': 5 }))).toBe(true);
    expect(matchesEventPattern(range, withDetail({ 'c-count': 0 }))).toBe(false);
    expect(matchesEventPattern(range, withDetail({ 'c-count': 5.000001 }))).toBe(false);
  });

  it('supports >= and < comparisons', () => {
    const range = { detail: { amount: [{ numeric: ['>=', 10, '<', 20] }] } };
    expect(matchesEventPattern(range, withDetail({ amount: 10 }))).toBe(true);
    expect(matchesEventPattern(range, withDetail({ amount: 20 }))).toBe(false);
  });

  it('matches numeric operators only against JSON numbers', () => {
    const equals = { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } };
    expect(matchesEventPattern(equals, withDetail({ 'x-limit': 301.8 }))).toBe(true);
    expect(matchesEventPattern(equals, withDetail({ 'x-limit': '301.8' }))).toBe(false);
    expect(matchesEventPattern(equals, withDetail({ 'x-limit': null }))).toBe(false);
  });

  it('combines prefix, anything-but and numeric in the complex example', () => {
    const complex = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    };
    const detail = { state: 'running', 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 };
    expect(matchesEventPattern(complex, withDetail(detail, { time: '2017-10-02T16:24:49Z' }))).toBe(true);
    expect(
      matchesEventPattern(complex, withDetail({ ...detail, 'x-limit': 300 }, { time: '2017-10-02T16:24:49Z' })),
    ).toBe(false);
  });
});

describe('IP address matching', () => {
  it('matches source IPs in 10.0.0.0/24', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
    expect(matchesEventPattern(pattern, withDetail({ sourceIPAddress: '10.0.0.255' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ sourceIPAddress: '10.0.1.0' }))).toBe(false);
  });

  it('matches IPv6 addresses in a CIDR block whatever their notation', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } };
    expect(
      matchesEventPattern(pattern, withDetail({ sourceIPAddress: '2001:0db8:1234:1a00:0000:0000:0000:0001' })),
    ).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ sourceIPAddress: '2001:db8:1234:1a01::1' }))).toBe(false);
  });

  it('does not match cidr against non-addresses, numbers or the other IP family', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/8' }] } };
    expect(matchesEventPattern(pattern, withDetail({ sourceIPAddress: '10.20.30.40' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ sourceIPAddress: 123 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail({ sourceIPAddress: 'not-an-ip' }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail({ sourceIPAddress: '::ffff:10.20.30.40' }))).toBe(false);
  });
});

describe('exists matching', () => {
  const cCountAbsent = { detail: { 'c-count': [{ exists: false }] } };

  it('matches an event without detail.c-count with exists false', () => {
    expect(matchesEventPattern(cCountAbsent, withDetail({ state: ['initializing', 'running'] }))).toBe(true);
    expect(matchesEventPattern(cCountAbsent, withDetail({ state: 'running', 'c-count': 3 }))).toBe(false);
  });

  it('matches exists false when c-count is an object because c-count is not a leaf', () => {
    const event = withDetail({ state: ['initializing', 'running'], 'c-count': { c1: 100 } });
    expect(matchesEventPattern(cCountAbsent, event)).toBe(true);
    expect(matchesEventPattern({ detail: { 'c-count': [{ exists: true }] } }, event)).toBe(false);
  });

  it('selects events that have a description with exists true', () => {
    const pattern = { detail: { description: [{ exists: true }] } };
    expect(matchesEventPattern(pattern, withDetail({ description: 'index me' }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ state: 'running' }))).toBe(false);
  });

  it('treats a null value as present', () => {
    expect(matchesEventPattern({ detail: { note: [{ exists: true }] } }, withDetail({ note: null }))).toBe(true);
    expect(matchesEventPattern({ detail: { note: [{ exists: false }] } }, withDetail({ note: null }))).toBe(false);
  });

  it('treats an empty array as absent', () => {
    const event = ec2Event({ resources: [] });
    expect(matchesEventPattern({ resources: [{ exists: false }] }, event)).toBe(true);
    expect(matchesEventPattern({ resources: [{ exists: true }] }, event)).toBe(false);
  });

  it('matches exists false when an intermediate object is missing', () => {
    const pattern = { detail: { level1: { level2: { level3: { level4: [{ exists: false }] } } } } };
    expect(matchesEventPattern(pattern, withDetail({ level1: { level2: 'l2 value' } }))).toBe(true);
    expect(
      matchesEventPattern(pattern, withDetail({ level1: { level2: { level3: { level4: 'l4 value' } } } })),
    ).toBe(false);
  });

  it('finds an existing field in any element of an array of objects', () => {
    const pattern = { detail: { automations: { id: [{ exists: true }] } } };
    expect(
      matchesEventPattern(pattern, withDetail({ automations: [{ key1: 'value1' }, { id: 'match-does-exist' }] })),
    ).toBe(true);
    expect(
      matchesEventPattern(pattern, withDetail({ automations: [{ key1: 'value1' }, { key2: 'value2' }] })),
    ).toBe(false);
  });

  it('matches either a missing field or an allowed value when exists false sits beside anything-but', () => {
    const pattern = { dynamodb: { NewImage: { homemade: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } } } };
    expect(matchesEventPattern(pattern, { dynamodb: { NewImage: { purchased: { N: '789' } } } })).toBe(true);
    expect(matchesEventPattern(pattern, { dynamodb: { NewImage: { homemade: { S: 'ABCD' } } } })).toBe(true);
    expect(matchesEventPattern(pattern, { dynamodb: { NewImage: { homemade: { S: 'roses' } } } })).toBe(false);
  });
});

describe('$or matching', () => {
  it('matches when any detail alternative of the numeric $or example matches', () => {
    const pattern = {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    };
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 0, 'd-count': 10, 'x-limit': 301.8 }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 0, 'd-count': 10, 'x-limit': 9.018e2 }))).toBe(false);
  });

  it('combines $or with a sibling field as source AND (metricName OR namespace)', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.ec2', metricName: 'CPUUtilization' })).toBe(false);
    expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', metricName: 'WriteLatency' })).toBe(false);
  });

  it('requires both parallel $or groups to match', () => {
    const pattern = {
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      detail: {
        $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }],
      },
    };
    expect(
      matchesEventPattern(
        pattern,
        { metricName: 'ReadLatency', detail: { 'detail-type': 'CloudWatch Alarm State Change' } },
      ),
    ).toBe(true);
    expect(matchesEventPattern(pattern, { metricName: 'ReadLatency', detail: { source: 'aws.ec2' } })).toBe(false);
  });

  it('matches an $or alternative that ANDs several fields', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] },
        { scope: ['Service'] },
      ],
    };
    expect(
      matchesEventPattern(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' }),
    ).toBe(true);
    expect(
      matchesEventPattern(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/S3' }),
    ).toBe(false);
  });

  it('matches nested $or inside an $or alternative', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        {
          metricType: ['MetricType'],
          namespace: ['AWS/EC2', 'AWS/ES'],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ['Service'] },
      ],
    };
    const base = { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' };
    expect(matchesEventPattern(pattern, { ...base, spaceId: 1000 })).toBe(true);
    expect(matchesEventPattern(pattern, { ...base, spaceId: 1001 })).toBe(false);
  });

  it('keeps an $or alternative and its sibling within the same array element', () => {
    const pattern = {
      detail: { items: { sku: ['A-1'] } },
      $or: [{ detail: { items: { quantity: [2] } } }, { detail: { priority: ['high'] } }],
    };
    const items = [
      { sku: 'A-1', quantity: 1 },
      { sku: 'B-2', quantity: 2 },
    ];
    expect(matchesEventPattern(pattern, withDetail({ items: [...items, { sku: 'A-1', quantity: 2 }] }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ items }))).toBe(false);
  });
});

describe('pattern validation', () => {
  it('accepts every documented pattern shape', () => {
    const patterns: EventPattern[] = [
      { time: [{ prefix: '2017-10-02' }], detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      {
        detail: {
          service: [{ prefix: { 'equals-ignore-case': 'EventB' } }],
          FileName: [{ suffix: { 'equals-ignore-case': '.png' } }],
        },
      },
      { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
      { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }], v6: [{ cidr: '2001:db8::/32' }] } },
      { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }], c: [{ exists: false }] } },
      { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] },
    ];
    for (const pattern of patterns) expect(() => validateEventPattern(pattern)).not.toThrow();
  });

  it('rejects a leaf value that is not an array', () => {
    expectInvalid({ source: 'aws.ec2' }, '"source": must be an object or an array');
    expectInvalid({ detail: { count: 42 } }, '"detail.count": must be an object or an array');
  });

  it('rejects empty arrays, empty objects and patterns that are not objects', () => {
    expectInvalid({ resources: [] }, '"resources": empty arrays are not allowed');
    expectInvalid({ detail: {} }, '"detail": empty objects are not allowed');
    expectInvalid(['not', 'an', 'object'], 'pattern must be a JSON object');
  });

  it('rejects unknown and wrongly cased operator names', () => {
    expectInvalid({ detail: { state: [{ contains: 'run' }] } }, '"detail.state": unrecognized match type "contains"');
    expectInvalid({ my_key: [{ EXISTS: true }] }, 'unrecognized match type "EXISTS"');
  });

  it('rejects operator objects with more than one key and nested arrays as match values', () => {
    expectInvalid({ state: [{ prefix: 'a', suffix: 'b' }] }, 'exactly one key');
    expectInvalid(
      { state: [['running']] },
      'match values must be strings, numbers, booleans, null or operator objects',
    );
  });

  it('rejects malformed numeric expressions', () => {
    expectInvalid(
      { detail: { amount: [{ numeric: ['>', 'x'] }] } },
      '"detail.amount": numeric operator ">" must be followed by a number',
    );
    expectInvalid(
      { detail: { 'c-count': [{ numeric: ['>', 0, '>', 0] }] } },
      'numeric range must close with "<" or "<="',
    );
    expectInvalid(
      { detail: { 'c-count': [{ numeric: ['>', 0, '<'] }] } },
      'numeric operator "<" must be followed by a number',
    );
    expectInvalid({ detail: { equal: [{ numeric: ['=', 5, '<', 10] }] } }, 'numeric has too many elements');
    expectInvalid(
      { detail: { range: [{ numeric: ['>', 10, '<', 5] }] } },
      'lower bound must be less than its upper bound',
    );
    expectInvalid({ detail: { n: [{ numeric: ['~', 5] }] } }, 'unrecognized numeric operator "~"');
    expectInvalid({ detail: { n: [{ numeric: 5 }] } }, 'numeric must be a non-empty array');
  });

  it('rejects exists values that are not booleans', () => {
    expectInvalid({ detail: { state: [{ exists: 'true' }] } }, '"detail.state": exists must be true or false');
  });

  it('rejects malformed CIDR blocks', () => {
    expectInvalid({ ip: [{ cidr: '10.0.0.0' }] }, 'exactly one "/" required');
    expectInvalid({ ip: [{ cidr: '10.0.0.0/xx' }] }, 'mask bits must be an integer');
    expectInvalid({ ip: [{ cidr: 'xx.11.xx/24' }] }, '"xx.11.xx" is not an IP address');
    expectInvalid({ ip: [{ cidr: '10.0.0.0/33' }] }, 'mask bits must be at most 32');
    expectInvalid({ ip: [{ cidr: ['bad-type'] }] }, 'cidr must be a string');
  });

  it('rejects malformed wildcards', () => {
    expectInvalid(
      { arn: [{ wildcard: 'arn:aws:events:us-east-1:**:event-bus/*' }] },
      'consecutive wildcard characters at position 26',
    );
    expectInvalid({ arn: [{ wildcard: 'a\\b' }] }, 'invalid escape');
    expectInvalid({ arn: [{ wildcard: 123 }] }, 'wildcard must be a string');
  });

  it('rejects prefix, suffix and equals-ignore-case operands of the wrong type', () => {
    expectInvalid({ time: [{ prefix: 123 }] }, 'prefix must be a string');
    expectInvalid({ FileName: [{ suffix: ['.png'] }] }, 'suffix must be a string');
    expectInvalid({ 'detail-type': [{ 'equals-ignore-case': ['ec2'] }] }, 'equals-ignore-case must be a string');
    expectInvalid(
      { service: [{ prefix: { wildcard: 'x*' } }] },
      'prefix must be a string or {"equals-ignore-case": string}',
    );
  });

  it('rejects anything-but lists that mix types or hold null, and empty anything-but prefixes', () => {
    expectInvalid(
      { state: [{ 'anything-but': ['stopped', null] }] },
      'anything-but values must be all strings or all numbers',
    );
    expectInvalid(
      { state: [{ 'anything-but': ['stopped', 5] }] },
      'anything-but values must be all strings or all numbers',
    );
    expectInvalid({ state: [{ 'anything-but': [] }] }, 'anything-but list must not be empty');
    expectInvalid({ state: [{ 'anything-but': { prefix: '' } }] }, 'anything-but prefix must not be empty');
    expectInvalid(
      { state: [{ 'anything-but': { numeric: ['>', 1] } }] },
      'unsupported anything-but operator "numeric"',
    );
    expectInvalid(
      { state: [{ 'anything-but': { 'equals-ignore-case': 123 } }] },
      'anything-but equals-ignore-case must be a string',
    );
  });

  it('rejects an $or that is empty, has a single alternative or holds non-objects', () => {
    expectInvalid({ $or: [] }, '"$or": $or must be an array of at least two pattern objects');
    expectInvalid(
      { detail: { $or: [{ state: ['running'] }] } },
      '"detail.$or": $or must be an array of at least two pattern objects',
    );
    expectInvalid({ $or: [{ state: ['running'] }, 'pending'] }, '"$or[1]": pattern must be a JSON object');
    expectInvalid(
      { $or: [{ state: ['running'] }, { state: 'pending' }] },
      '"$or[1].state": must be an object or an array',
    );
  });

  it('throws InvalidEventPatternError from matchesEventPattern for an invalid pattern', () => {
    expect(() => matchesEventPattern({ source: 'aws.ec2' }, ec2Event())).toThrow(InvalidEventPatternError);
    expect(matchesEventPattern({ source: ['aws.ec2'] }, ec2Event())).toBe(true);
  });
});
