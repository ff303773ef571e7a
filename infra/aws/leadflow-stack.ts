import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, type EventPattern, type IRuleTarget } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { topology, type FunctionName, type QueueName, type ScheduleSpec } from '../topology.js';
import { constructId } from './construct-id.js';
import { LeadflowHttpApi } from './http-api.js';
import { LeadflowFunction } from './leadflow-function.js';
import { deadLetterQueue, secureQueue } from './secure-queue.js';

export interface LeadflowStackProps extends StackProps {
  /**
   * What deleting the stack does to the table and the log groups. RETAIN (the default) also turns on
   * the table's deletion protection; a developer's own stack can choose DESTROY.
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Name of the custom event bus; default `leadflow`. */
  readonly eventBusName?: string;
  /** Retention of function and API access logs; default one month. */
  readonly logRetention?: RetentionDays;
  /** Stage-wide API throttling; default 100 requests/s with bursts of 200. */
  readonly apiThrottle?: Required<ThrottleSettings>;
}

/** How a function retries when it is invoked asynchronously, by an event rule or a schedule. */
interface AsyncInvokeSettings {
  retryAttempts: number;
  maxEventAge: Duration;
  /** Which rule or schedule asked for these settings, to name it when two disagree. */
  requestedBy: string;
}

// Lambda keeps an asynchronous event for at most 6 hours, even where EventBridge retries for longer.
const LAMBDA_MAX_EVENT_AGE = Duration.hours(6);
const SCHEDULE_RETRY_ATTEMPTS = 2;

/**
 * The whole leadflow platform in one stack, built by iterating `infra/topology.ts`: the single table,
 * the event bus and its rules, the queues, one function per topology function, the HTTP API and the
 * schedules. Nothing here names a function, route, rule, queue or schedule.
 */
export class LeadflowStack extends Stack {
  readonly table: TableV2;
  readonly bus: EventBus;
  readonly functions: Record<FunctionName, NodejsFunction>;
  readonly httpApi: LeadflowHttpApi;

  private readonly asyncInvokes = new Map<FunctionName, AsyncInvokeSettings>();
  private readonly asyncDeadLetterQueues = new Map<FunctionName, Queue>();

  constructor(scope: Construct, id: string, props: LeadflowStackProps = {}) {
    super(scope, id, props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: 'GSI1',
          partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
          sortKey: { name: 'GSI1SK', type: AttributeType.STRING },
        },
      ],
      timeToLiveAttribute: 'expiresAt',
      // Both images: the relay publishes an outbox only when its id differs from the old image's.
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });

    this.bus = new EventBus(this, 'Bus', { eventBusName: props.eventBusName ?? 'leadflow' });

    const functions: Partial<Record<FunctionName, NodejsFunction>> = {};
    const publishers = new Set<FunctionName>(Object.values(topology.streams).map((stream) => stream.function));
    for (const [name, spec] of entries(topology.functions)) {
      functions[name] = new LeadflowFunction(this, constructId(name), {
        spec,
        publishes: publishers.has(name),
        table: this.table,
        bus: this.bus,
        logRetention,
        logRemovalPolicy: removalPolicy,
      }).function;
    }
    this.functions = functions as Record<FunctionName, NodejsFunction>;

    const queues = this.addQueues();
    this.addStreamConsumers();
    this.addRules(queues);
    this.addSchedules();
    this.configureAsyncInvokes();

    this.httpApi = new LeadflowHttpApi(this, 'Http', {
      routes: topology.routes,
      functions: this.functions,
      throttle: props.apiThrottle ?? { rateLimit: 100, burstLimit: 200 },
      logRetention,
      logRemovalPolicy: removalPolicy,
    });

    this.addAcceptLinkSettings(removalPolicy);

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'Base URL of the HTTP API.' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The single DynamoDB table.' });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName, description: 'The leadflow event bus.' });
  }

  /**
   * The accept links' signing secret, generated by Secrets Manager and resolved by CloudFormation at
   * deploy into the environment of the functions that sign or verify links (so they make no call for it
   * at runtime), and the public API URL the links point at.
   */
  private addAcceptLinkSettings(removalPolicy: RemovalPolicy): void {
    const secret = new Secret(this, 'LinkSigningSecret', {
      description: 'HMAC key of the accept links sent to reps.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the accept-link key would invalidate every link already sent to reps, and the key is ' +
        'resolved into the function environment at deploy; it is rotated by replacing it in a deploy.',
    });
    for (const [name, spec] of entries(topology.functions)) {
      if (!('acceptLinks' in spec && spec.acceptLinks)) continue;
      this.functions[name].addEnvironment('LINK_SIGNING_SECRET', secret.secretValue.unsafeUnwrap());
      this.functions[name].addEnvironment('PUBLIC_API_URL', this.httpApi.url);
    }
  }

  /** One queue per topology queue, each with its own dead-letter queue and its consumer attached. */
  private addQueues(): Record<QueueName, { queue: Queue; deadLetterQueue: Queue }> {
    const queues: Partial<Record<QueueName, { queue: Queue; deadLetterQueue: Queue }>> = {};
    for (const [name, spec] of entries(topology.queues)) {
      const consumer = this.functions[spec.consumer.function];
      const functionTimeout = topology.functions[spec.consumer.function].timeoutSeconds;
      // Lambda refuses an event source whose visibility timeout is shorter than the function's timeout.
      if (spec.visibilityTimeoutSeconds < functionTimeout) {
        throw new Error(
          `Queue "${name}" has a visibility timeout of ${spec.visibilityTimeoutSeconds}s, shorter than ` +
            `its consumer "${spec.consumer.function}" (${functionTimeout}s).`,
        );
      }
      const dlq = deadLetterQueue(this, `${constructId(name)}DeadLetterQueue`);
      const queue = secureQueue(this, `${constructId(name)}Queue`, {
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
      });
      consumer.addEventSource(
        new SqsEventSource(queue, {
          batchSize: spec.consumer.batchSize,
          maxBatchingWindow: Duration.seconds(spec.consumer.maxBatchingWindowSeconds),
          reportBatchItemFailures: true,
        }),
      );
      queues[name] = { queue, deadLetterQueue: dlq };
    }
    return queues as Record<QueueName, { queue: Queue; deadLetterQueue: Queue }>;
  }

  /**
   * The table stream's consumers: an event source mapping per topology stream, from the oldest record
   * (a new deployment relays everything the stream still holds), retried per failed record
   * (ReportBatchItemFailures) and by halving the batch, and after the retries a record's place in the
   * stream goes to its own dead-letter queue, from which an operator can re-read it.
   */
  private addStreamConsumers(): void {
    for (const [name, spec] of entries(topology.streams)) {
      const dlq = deadLetterQueue(this, `${constructId(name)}StreamDeadLetterQueue`);
      Validations.of(dlq).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself a dead-letter queue: the on-failure destination of the "${name}" stream mapping.`,
      });
      this.functions[spec.function].addEventSource(
        new DynamoEventSource(this.table, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: spec.batchSize,
          maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowSeconds),
          retryAttempts: spec.retryAttempts,
          maxRecordAge: Duration.seconds(spec.maxRecordAgeSeconds),
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(dlq),
          filters: [FilterCriteria.filter(spec.filter)],
        }),
      );
    }
  }

  /** One EventBridge rule per topology rule, with exactly the topology's pattern. */
  private addRules(queues: Record<QueueName, { queue: Queue; deadLetterQueue: Queue }>): void {
    for (const [name, spec] of entries(topology.rules)) {
      const { target } = spec;
      let ruleTarget: IRuleTarget;
      if (target.kind === 'function') {
        ruleTarget = new LambdaFunction(this.functions[target.function], {
          retryAttempts: target.retryAttempts,
          maxEventAge: Duration.seconds(target.maxEventAgeSeconds),
          deadLetterQueue: this.asyncDeadLetterQueue(target.function),
        });
        this.requestAsyncInvoke(target.function, {
          retryAttempts: target.retryAttempts,
          maxEventAge: Duration.seconds(Math.min(target.maxEventAgeSeconds, LAMBDA_MAX_EVENT_AGE.toSeconds())),
          requestedBy: `rule "${name}"`,
        });
      } else {
        // Events EventBridge could not deliver to the queue join the messages the consumer gave up on.
        const { queue, deadLetterQueue: dlq } = queues[target.queue];
        ruleTarget = new SqsQueue(queue, { deadLetterQueue: dlq });
      }
      new Rule(this, `${constructId(name)}Rule`, {
        eventBus: this.bus,
        description: spec.description,
        eventPattern: toEventPattern(spec.pattern),
        targets: [ruleTarget],
      });
    }
  }

  /** One EventBridge Scheduler schedule per topology schedule, invoking its function asynchronously. */
  private addSchedules(): void {
    for (const [name, spec] of entries(topology.schedules)) {
      // A run older than the interval is superseded by the next one, so it is not worth delivering.
      const maxEventAge = clamp(rateInterval(spec.expression), Duration.minutes(1), LAMBDA_MAX_EVENT_AGE);
      new Schedule(this, `${constructId(name)}Schedule`, {
        description: spec.description,
        schedule: ScheduleExpression.expression(spec.expression),
        target: new LambdaInvoke(this.functions[spec.function], {
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge,
          deadLetterQueue: this.asyncDeadLetterQueue(spec.function),
        }),
      });
      this.requestAsyncInvoke(spec.function, {
        retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        maxEventAge,
        requestedBy: `schedule "${name}"`,
      });
      // The target's role is created inside aws-scheduler-targets, so the finding is acknowledged here.
      const functionId = this.getLogicalId(this.functions[spec.function].node.defaultChild as CfnElement);
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason:
          `The Scheduler role may invoke "${spec.function}" and its versions/aliases (ARN suffix :*), as ` +
          "LambdaInvoke grants; the wildcard is the qualifier of this one function's ARN only.",
      });
    }
  }

  /**
   * The dead-letter queue of a function's asynchronous invocations, shared by the EventBridge targets and
   * schedules that invoke it and by its own on-failure destination: one place to look per function.
   */
  private asyncDeadLetterQueue(name: FunctionName): Queue {
    let queue = this.asyncDeadLetterQueues.get(name);
    if (!queue) {
      queue = deadLetterQueue(this, `${constructId(name)}AsyncDeadLetterQueue`);
      Validations.of(queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          `This queue is itself a dead-letter queue: the EventBridge/Scheduler target DLQ and Lambda ` +
          `on-failure destination of "${name}". cdk-nag only recognises DLQs named in a redrive policy.`,
      });
      this.asyncDeadLetterQueues.set(name, queue);
    }
    return queue;
  }

  private requestAsyncInvoke(name: FunctionName, settings: AsyncInvokeSettings): void {
    const existing = this.asyncInvokes.get(name);
    if (
      existing &&
      (existing.retryAttempts !== settings.retryAttempts ||
        existing.maxEventAge.toSeconds() !== settings.maxEventAge.toSeconds())
    ) {
      throw new Error(
        `Function "${name}" is invoked asynchronously by ${existing.requestedBy} and ${settings.requestedBy} ` +
          'with different retry settings; a function has one asynchronous invoke configuration.',
      );
    }
    this.asyncInvokes.set(name, settings);
  }

  /** Lambda's own retries for asynchronously invoked functions, then their dead-letter queue. */
  private configureAsyncInvokes(): void {
    for (const [name, settings] of this.asyncInvokes) {
      this.functions[name].configureAsyncInvoke({
        retryAttempts: settings.retryAttempts,
        maxEventAge: settings.maxEventAge,
        onFailure: new SqsDestination(this.asyncDeadLetterQueue(name)),
      });
    }
  }
}

/** Object.entries with the keys kept as the topology's name types. */
function entries<K extends string, V>(record: Record<K, V>): [K, V][] {
  return Object.entries(record) as [K, V][];
}

/**
 * The topology's patterns are written as EventBridge expects them (`detail-type`, not `detailType`);
 * CDK passes keys it does not rename through unchanged, so the rule gets exactly that pattern.
 */
function toEventPattern(pattern: Record<string, unknown>): EventPattern {
  return structuredClone(pattern) as EventPattern;
}

/** The interval of a Scheduler `rate(...)` expression. */
function rateInterval(expression: ScheduleSpec['expression']): Duration {
  const match = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (!match) throw new Error(`Not a rate expression: ${expression}`);
  const amount = Number(match[1]);
  if (match[2] === 'minute') return Duration.minutes(amount);
  if (match[2] === 'hour') return Duration.hours(amount);
  return Duration.days(amount);
}

function clamp(value: Duration, min: Duration, max: Duration): Duration {
  return Duration.seconds(Math.min(Math.max(value.toSeconds(), min.toSeconds()), max.toSeconds()));
}
