import { constructId } from '../../infra/aws/construct-id.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { synthesizeLeadflow } from '../../infra/aws/synth.js';
import { LocalEventBus } from '../../infra/local/event-bus.js';
import { compileRoutes } from '../../infra/local/http-api.js';
import { LOCAL_STREAM } from '../../infra/local/dynamodb-local.js';
import { localSchedules } from '../../infra/local/scheduler.js';
import { topology, type FunctionName } from '../../infra/topology.js';
import { tableSchema } from '../../shared/store/keys.js';

type Resource = { Type: string; Properties: Record<string, any> };
let resources: Record<string, Resource>;

/** The topology function a template reference (`Fn::GetAtt [Id, Arn]` or a `Ref`) points at. */
function functionOf(reference: unknown): FunctionName | undefined {
  const text = JSON.stringify(reference);
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function' || !text.includes(`"${id}"`)) continue;
    const entry = Object.entries(topology.functions).find(([, f]) => f.description === r.Properties.Description);
    return entry?.[0] as FunctionName | undefined;
  }
  return undefined;
}

function ofType(type: string): Resource[] {
  return Object.values(resources).filter((r) => r.Type === type);
}

beforeAll(() => {
  const { template } = synthesizeLeadflow();
  resources = template.Resources as Record<string, Resource>;
});

describe('the local runtime and the AWS stack expose the same platform', () => {
  it('serves the same routes, each reaching the same function', () => {
    const local = compileRoutes().map((r) => `${r.routeKey} -> ${r.route.function}`);
    const integrations = Object.fromEntries(
      Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Integration'),
    );
    const aws = ofType('AWS::ApiGatewayV2::Route').map((route) => {
      const integrationId = JSON.stringify(route.Properties.Target).match(/"(\w+)"/g)?.map((s) => s.slice(1, -1)).find((id) => integrations[id]);
      const fn = functionOf(integrations[integrationId!]?.Properties.IntegrationUri);
      return `${route.Properties.RouteKey} -> ${fn}`;
    });
    expect(aws.sort()).toEqual(local.sort());
  });

  it('evaluates the same event rules with the same patterns and targets', () => {
    const bus = new LocalEventBus({
      busName: 'leadflow',
      port: 0,
      sqs: {} as SQSClient,
      queueUrl: () => '',
      deadLetterQueueUrl: '',
      invokeFunction: async () => undefined,
      retryDelayMs: () => 0,
      onDeliveryFailure: () => undefined,
    });
    const local = bus.ruleSpecs.map((r) => ({
      pattern: r.pattern,
      target: r.target.kind === 'function' ? `function:${r.target.function}` : `queue:${r.target.queue}`,
    }));
    const aws = ofType('AWS::Events::Rule').map((rule) => {
      const target = rule.Properties.Targets[0];
      const fn = functionOf(target.Arn);
      const queue = Object.entries(topology.queues).find(([name]) => JSON.stringify(target.Arn).includes(`${constructId(name)}Queue`))?.[0];
      return { pattern: rule.Properties.EventPattern, target: fn ? `function:${fn}` : `queue:${queue}` };
    });
    const key = (x: { pattern: unknown; target: string }) => JSON.stringify(x);
    expect(aws.map(key).sort()).toEqual(local.map(key).sort());
  });

  it('runs the same schedules at the same rates, each invoking the same function', () => {
    const local = localSchedules().map((s) => `${s.expression} -> ${s.function}`);
    const aws = ofType('AWS::Scheduler::Schedule').map(
      (s) => `${s.Properties.ScheduleExpression} -> ${functionOf(s.Properties.Target.Arn)}`,
    );
    expect(aws.sort()).toEqual(local.sort());
  });

  it('keys the deployed table exactly as the local one is created', () => {
    const [table] = ofType('AWS::DynamoDB::GlobalTable');
    expect(table!.Properties.KeySchema).toEqual([
      { AttributeName: tableSchema.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableSchema.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table!.Properties.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({
        IndexName: tableSchema.gsi1.name,
        KeySchema: [
          { AttributeName: tableSchema.gsi1.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableSchema.gsi1.sortKey, KeyType: 'RANGE' },
        ],
      }),
    ]);
    expect(table!.Properties.TimeToLiveSpecification).toEqual({ AttributeName: tableSchema.ttlAttribute, Enabled: true });
    expect(table!.Properties.StreamSpecification).toEqual({ StreamViewType: LOCAL_STREAM.StreamViewType });
  });

  it('relays the table stream with the same consumer, batch and filter as the local stream reader', () => {
    const aws = ofType('AWS::Lambda::EventSourceMapping')
      .filter((m) => JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn'))
      .map((m) => ({
        function: functionOf(m.Properties.FunctionName),
        batchSize: m.Properties.BatchSize,
        filter: JSON.parse(m.Properties.FilterCriteria.Filters[0].Pattern),
        failures: m.Properties.FunctionResponseTypes,
        deadLetter: Boolean(m.Properties.DestinationConfig?.OnFailure?.Destination),
      }));
    const local = Object.values(topology.streams).map((s) => ({
      function: s.function,
      batchSize: s.batchSize,
      filter: s.filter,
      failures: ['ReportBatchItemFailures'],
      deadLetter: true,
    }));
    expect(aws).toEqual(local);
  });
});
