import type { FunctionSpec } from '../../infra/topology.js';
import { App, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Runtime, RuntimeFamily } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_RUNTIME } from '../../infra/aws/bundling.js';
import { LeadflowStack } from '../../infra/aws/leadflow-stack.js';
import { synthesizeLeadflow } from '../../infra/aws/synth.js';
import { topology, type FunctionName, type QueueName } from '../../infra/topology.js';

interface Resource {
  Type: string;
  Properties: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

const functionEntries = Object.entries(topology.functions) as [FunctionName, (typeof topology.functions)[FunctionName]][];
const ruleEntries = Object.entries(topology.rules);
const queueEntries = Object.entries(topology.queues) as [QueueName, (typeof topology.queues)[QueueName]][];
const scheduleEntries = Object.entries(topology.schedules);
const LAMBDA_MAX_EVENT_AGE_SECONDS = 6 * 60 * 60;

let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  const synthesized = synthesizeLeadflow();
  template = Template.fromJSON(synthesized.template);
  resources = (synthesized.template as { Resources: Record<string, Resource> }).Resources;
});

function ofType(type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

function only<T>(items: T[], what: string): T {
  expect(items, what).toHaveLength(1);
  return items[0]!;
}

/** Logical id of a topology function's Lambda, found by its description (topology descriptions are distinct). */
function functionId(name: FunctionName): string {
  const { description } = topology.functions[name];
  return only(
    ofType('AWS::Lambda::Function').filter(([, r]) => r.Properties.Description === description),
    `Lambda function described "${description}"`,
  )[0];
}

function logicalIdOfType(type: string): string {
  return only(ofType(type), type)[0];
}

/** Logical id of a topology queue, found through its consumer's event source mapping. */
function queueId(name: QueueName): string {
  const consumer = functionId(topology.queues[name].consumer.function);
  const [, mapping] = only(
    ofType('AWS::Lambda::EventSourceMapping').filter(([, r]) => r.Properties.FunctionName.Ref === consumer),
    `event source mapping of ${consumer}`,
  );
  return mapping.Properties.EventSourceArn['Fn::GetAtt'][0];
}

function getAttArn(id: string) {
  return { 'Fn::GetAtt': [id, 'Arn'] };
}

function arnId(value: { 'Fn::GetAtt': [string, string] }): string {
  expect(value['Fn::GetAtt'][1]).toBe('Arn');
  return value['Fn::GetAtt'][0];
}

function eventInvokeConfigOf(fnId: string): Resource {
  return only(
    ofType('AWS::Lambda::EventInvokeConfig')
      .filter(([, r]) => r.Properties.FunctionName.Ref === fnId)
      .map(([, r]) => r),
    `async invoke config of ${fnId}`,
  );
}

describe('functions', () => {
  it('creates exactly one Lambda function per topology function', () => {
    template.resourceCountIs('AWS::Lambda::Function', functionEntries.length);
  });

  it('uses the newest Node.js runtime aws-cdk-lib offers', () => {
    const version = (runtime: Runtime) => Number(/^nodejs(\d+)\.x$/.exec(runtime.name)?.[1] ?? 0);
    const newest = Math.max(...Runtime.ALL.filter((r) => r.family === RuntimeFamily.NODEJS).map(version));
    expect(version(LAMBDA_RUNTIME)).toBe(newest);
  });

  it.each(functionEntries)('runs %s on arm64 with its memory, timeout and environment', (name, spec) => {
    const fn = resources[functionId(name)]!;
    expect(fn.Properties).toMatchObject({
      Runtime: LAMBDA_RUNTIME.name,
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: spec.memoryMb,
      Timeout: spec.timeoutSeconds,
    });
    expect(fn.Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: logicalIdOfType('AWS::DynamoDB::GlobalTable') },
      EVENT_BUS_NAME: { Ref: logicalIdOfType('AWS::Events::EventBus') },
      POWERTOOLS_SERVICE_NAME: 'leadflow',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it.each(functionEntries)('gives %s access to source secrets only if its spec asks for it', (name, spec: FunctionSpec) => {
    const fn = resources[functionId(name)]!;
    const variables = fn.Properties.Environment.Variables;
    const ssmActions = ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === fn.Properties.Role['Fn::GetAtt'][0]))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((st: { Action: string | string[] }) => [st.Action].flat()))
      .filter((a: string) => a.startsWith('ssm:'))
      .sort();
    if (!spec.sourceSecrets) {
      expect(variables.SOURCE_SECRETS_PREFIX).toBeUndefined();
      expect(ssmActions).toEqual([]);
      return;
    }
    expect(variables.SOURCE_SECRETS_PREFIX).toBe('/leadflow/sources');
    if (spec.sourceSecrets === 'read') {
      expect(ssmActions).toEqual(['ssm:GetParameter']);
      // The Parameters and Secrets extension serves the reads, with a short cache so a rotated secret takes effect.
      expect(fn.Properties.Layers).toHaveLength(1);
      expect(JSON.stringify(fn.Properties.Layers)).toMatch(/paramsandsecrets/i);
      expect(variables.SSM_PARAMETER_STORE_TTL).toBe('30');
    } else {
      expect(ssmActions).toEqual(['ssm:DeleteParameter', 'ssm:GetParameter', 'ssm:PutParameter']);
      expect(fn.Properties.Layers).toBeUndefined();
    }
  });

  it.each(functionEntries)('writes %s logs to its own log group with a retention', (name) => {
    const fn = resources[functionId(name)]!;
    const logGroup = resources[fn.Properties.LoggingConfig.LogGroup.Ref]!;
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('grants queue consumption only to the consumer of each queue', () => {
    const consumers = queueEntries.map(([, spec]) => functionId(spec.consumer.function));
    const rolesThatReceive = ofType('AWS::IAM::Policy')
      .filter(([, p]) =>
        p.Properties.PolicyDocument.Statement.some((s: { Action: string | string[] }) =>
          [s.Action].flat().includes('sqs:ReceiveMessage'),
        ),
      )
      .flatMap(([, p]) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref));
    const consumerRoles = consumers.map((id) => resources[id]!.Properties.Role['Fn::GetAtt'][0]);
    expect(rolesThatReceive.sort()).toEqual(consumerRoles.sort());
  });

  it('attaches no AWS managed policy to any role', () => {
    for (const [, role] of ofType('AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('HTTP API', () => {
  it('has exactly one route per topology route', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', topology.routes.length);
  });

  it.each(topology.routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    'routes %s to its function with a payload 2.0 Lambda integration',
    (routeKey, route) => {
      const [, resource] = only(
        ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.RouteKey === routeKey),
        `route ${routeKey}`,
      );
      expect(resource.Properties.Target['Fn::Join'][1][0]).toBe('integrations/');
      const integration = resources[resource.Properties.Target['Fn::Join'][1][1].Ref]!;
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: getAttArn(functionId(route.function)),
      });
    },
  );

  it('serves a $default stage with access logs and throttling', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });
});

describe('event rules', () => {
  it('has exactly one rule per topology rule, all on the leadflow bus', () => {
    template.resourceCountIs('AWS::Events::Rule', ruleEntries.length);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'leadflow' });
    const busId = logicalIdOfType('AWS::Events::EventBus');
    for (const [, rule] of ofType('AWS::Events::Rule')) expect(rule.Properties.EventBusName).toEqual({ Ref: busId });
  });

  it.each(ruleEntries)('gives rule %s exactly the topology pattern and a target with a dead-letter queue', (_name, spec) => {
    const [, rule] = only(
      ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.Description === spec.description),
      `rule described "${spec.description}"`,
    );
    expect(rule.Properties.EventPattern).toEqual(spec.pattern);
    const target = only(rule.Properties.Targets as Record<string, any>[], 'rule target');
    const dlq = resources[arnId(target.DeadLetterConfig.Arn)]!;
    expect(dlq.Type).toBe('AWS::SQS::Queue');

    if (spec.target.kind === 'function') {
      const fnId = functionId(spec.target.function);
      expect(target.Arn).toEqual(getAttArn(fnId));
      expect(target.RetryPolicy).toEqual({
        MaximumRetryAttempts: spec.target.retryAttempts,
        MaximumEventAgeInSeconds: spec.target.maxEventAgeSeconds,
      });
      expect(eventInvokeConfigOf(fnId).Properties).toMatchObject({
        MaximumRetryAttempts: spec.target.retryAttempts,
        MaximumEventAgeInSeconds: Math.min(spec.target.maxEventAgeSeconds, LAMBDA_MAX_EVENT_AGE_SECONDS),
        DestinationConfig: { OnFailure: { Destination: target.DeadLetterConfig.Arn } },
      });
    } else {
      expect(target.Arn).toEqual(getAttArn(queueId(spec.target.queue)));
    }
  });
});

describe('queues', () => {
  it('has one queue and one dead-letter queue per topology queue, plus one per asynchronously invoked function and one per table stream consumer', () => {
    const asyncTargets = new Set([
      ...ruleEntries.flatMap(([, r]) => (r.target.kind === 'function' ? [r.target.function] : [])),
      ...scheduleEntries.map(([, s]) => s.function),
    ]);
    template.resourceCountIs('AWS::SQS::Queue', queueEntries.length * 2 + asyncTargets.size + Object.keys(topology.streams).length);
  });

  it.each(queueEntries)('gives queue %s its visibility timeout, a redrive policy and its consumer', (name, spec) => {
    const id = queueId(name);
    const queue = resources[id]!;
    expect(queue.Properties.VisibilityTimeout).toBe(spec.visibilityTimeoutSeconds);
    expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(spec.maxReceiveCount);
    expect(resources[arnId(queue.Properties.RedrivePolicy.deadLetterTargetArn)]!.Type).toBe('AWS::SQS::Queue');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAttArn(id),
      FunctionName: { Ref: functionId(spec.consumer.function) },
      BatchSize: spec.consumer.batchSize,
      MaximumBatchingWindowInSeconds: spec.consumer.maxBatchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('encrypts every queue and denies requests that do not use TLS', () => {
    const policies = ofType('AWS::SQS::QueuePolicy').map(([, p]) => p.Properties);
    for (const [id, queue] of ofType('AWS::SQS::Queue')) {
      expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
      const denyInsecure = policies.some(
        (p) =>
          p.Queues.some((q: { Ref: string }) => q.Ref === id) &&
          p.PolicyDocument.Statement.some(
            (s: Record<string, any>) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
          ),
      );
      expect(denyInsecure, `${id} denies non-TLS requests`).toBe(true);
    }
  });
});

describe('table', () => {
  it('is one on-demand table keyed by PK/SK with GSI1, TTL, point-in-time recovery and KMS encryption', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
        { AttributeName: 'GSI1PK', AttributeType: 'S' },
        { AttributeName: 'GSI1SK', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'GSI1',
          KeySchema: [
            { AttributeName: 'GSI1PK', KeyType: 'HASH' },
            { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it('is retained when the stack is deleted, by default', () => {
    const table = resources[logicalIdOfType('AWS::DynamoDB::GlobalTable')]!;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('is deleted with the stack, without deletion protection, when a developer chooses DESTROY', () => {
    // Only the table is inspected, so this stack skips bundling the functions.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new LeadflowStack(app, 'Dev', { removalPolicy: RemovalPolicy.DESTROY });
    const dev = Template.fromStack(stack);
    dev.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })],
      }),
    });
  });
});

describe('schedules', () => {
  it('has exactly one schedule per topology schedule', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', scheduleEntries.length);
  });

  it.each(scheduleEntries)('invokes the function of schedule %s with a retry policy and a dead-letter queue', (_name, spec) => {
    const [, schedule] = only(
      ofType('AWS::Scheduler::Schedule').filter(([, s]) => s.Properties.Description === spec.description),
      `schedule described "${spec.description}"`,
    );
    const fnId = functionId(spec.function);
    expect(schedule.Properties.ScheduleExpression).toBe(spec.expression);
    expect(schedule.Properties.Target).toMatchObject({
      Arn: getAttArn(fnId),
      RetryPolicy: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) },
    });
    const dlqArn = schedule.Properties.Target.DeadLetterConfig.Arn;
    expect(resources[arnId(dlqArn)]!.Type).toBe('AWS::SQS::Queue');
    expect(eventInvokeConfigOf(fnId).Properties.DestinationConfig).toEqual({ OnFailure: { Destination: dlqArn } });
  });
});

describe('outputs', () => {
  it('outputs the API URL, the table name and the event bus name', () => {
    template.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    template.hasOutput('TableName', { Value: { Ref: logicalIdOfType('AWS::DynamoDB::GlobalTable') } });
    template.hasOutput('EventBusName', { Value: { Ref: logicalIdOfType('AWS::Events::EventBus') } });
  });
});
