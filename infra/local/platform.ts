import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { countCalls } from '../../shared/observability/call-counter.js';
import { topology, type FunctionName, type QueueName } from '../topology.js';
import { concurrencyLimit } from './concurrency-limit.js';
import { priorityLane } from './priority-lane.js';
import { prepareDataDir } from './data-dir.js';
import { createDemoReceiver, type ReceivedNotification } from './demo-receiver.js';
import { ensureTable, startDynamoDbLocal, type RunningDynamo } from './dynamodb-local.js';
import { LocalEventBus } from './event-bus.js';
import { createHttpApi } from './http-api.js';
import { LambdaInvoker } from './lambda-invoker.js';
import { localLinkSecret } from './link-secret.js';
import { createLocalAdmin } from './local-admin.js';
import { startParameterStore } from './parameter-store.js';
import { createPlatformStats } from './platform-stats.js';
import { freePort, requirePortFree } from './ports.js';
import { startQueuePoller } from './queue-poller.js';
import { startScheduler } from './scheduler.js';
import { localStreamApi } from './stream-api.js';
import { startStreamReader, type StreamReader } from './stream-reader.js';
import { seedLocal, type LocalCredentials } from './seed.js';
import { findPrincipal } from '../../shared/store/directory-store.js';
import { queueNames, startSqsServer, type RunningSqs } from './sqs-server.js';
import { invocationStore } from './invocation-store.js';

export const LOCAL_TABLE = 'leadflow';
export const LOCAL_BUS = 'leadflow';

/**
 * Concurrent invocations per function, like reserved concurrency. Functions behind routes get more: a
 * caller is waiting on them, while event and queue consumers can fall behind for a moment without
 * anyone waiting, and all of them share DynamoDB Local's CPU.
 */
const ROUTE_CONCURRENCY = 32;
const BACKGROUND_CONCURRENCY = 6;
/**
 * Background invocations share at most this many slots, fewer while requests answer slower than the
 * target (see priority-lane.ts): the acknowledgement budget is a p99 of 50 ms.
 */
const BACKGROUND_SLOTS = 16;
/** On a busy machine requests are slow whatever runs beside them; the pipeline still keeps moving. */
const MIN_BACKGROUND_SLOTS = 4;
const REQUEST_LATENCY_TARGET_MS = 25;
const routeFunctions = new Set<FunctionName>(topology.routes.map((r) => r.function));

export interface PlatformOptions {
  port: number;
  dataDir: string;
  /** The folder holding `functions/`; the handlers are loaded from there. */
  projectRoot: string;
  host?: string;
  log?: (line: string) => void;
  onNotification?: (n: ReceivedNotification) => void;
  /**
   * The platform stopped on its own because a service it needs cannot be brought back (DynamoDB Local
   * kept dying); it has logged one line saying why and what to do.
   */
  onFatal?: (error: Error) => void;
}

export interface LocalPlatform {
  apiUrl: string;
  credentials: LocalCredentials;
  dataDir: string;
  endpoints: { dynamodb: string; sqs: string; eventbridge: string };
  notifications: ReceivedNotification[];
  runSchedule(name: keyof typeof topology.schedules): Promise<unknown>;
  /** Waits until events accepted so far have been delivered to their targets. */
  drainEvents(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts leadflow on this machine: DynamoDB Local, an SQS-API server, a local EventBridge bus and the
 * HTTP API, all built from the topology, with the same handlers as on AWS. The handlers reach the local
 * services through the SDK's own endpoint variables, so they run unchanged.
 */
export async function startLocalPlatform(options: PlatformOptions): Promise<LocalPlatform> {
  // Before any SDK call, or concurrent invocations would share one context (see invocation-store.ts).
  await invocationStore();
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir);
  prepareDataDir(dataDir);
  await requirePortFree(options.port, host);
  const [dynamoPort, sqsPort, busPort, parametersPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);

  const stops: Array<() => Promise<void> | void> = [];
  let stopped: Promise<void> | undefined;
  // Once only: a platform that stopped itself is still stopped again by Ctrl-C.
  const stopAll = () =>
    (stopped ??= (async () => {
      for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    })());
  try {
    const dynamo: RunningDynamo = await startDynamoDbLocal({
      dataDir,
      port: dynamoPort,
      supervise: {
        onRestart: log,
        onGiveUp: (error) => {
          log(`${error.message}, so leadflow stopped. Its data is kept in ${dataDir}; check free memory and disk space, then start it again (npm start).`);
          void stopAll().then(() => options.onFatal?.(error));
        },
      },
    });
    stops.push(() => dynamo.stop());
    const stats = createPlatformStats({ dynamodbEndpoint: dynamo.endpoint, dynamodbDataDir: resolve(dataDir, 'dynamodb') });
    stops.push(() => stats.stop());
    const { streamArn } = await ensureTable(dynamo.endpoint, LOCAL_TABLE);
    const sqsServer: RunningSqs = await startSqsServer(sqsPort);
    stops.push(() => sqsServer.stop());
    const busEndpoint = `http://127.0.0.1:${busPort}`;
    const sessionToken = 'local';
    const parameterStore = await startParameterStore({ dataDir, port: parametersPort, sessionToken });
    stops.push(() => parameterStore.stop());

    Object.assign(process.env, {
      TABLE_NAME: LOCAL_TABLE,
      EVENT_BUS_NAME: LOCAL_BUS,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqsServer.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: busEndpoint,
      AWS_ENDPOINT_URL_SSM: parameterStore.endpoint,
      AWS_SESSION_TOKEN: sessionToken,
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(parameterStore.port),
      POWERTOOLS_SERVICE_NAME: 'leadflow',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      LINK_SIGNING_SECRET: localLinkSecret(dataDir),
      PUBLIC_API_URL: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${options.port}`,
    });
    const credentials = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    // The runtime's own clients count their calls like the handlers' (the bus's sends stand for the rules' on AWS).
    const sqs = countCalls(new SQSClient({ ...credentials, endpoint: sqsServer.endpoint }));
    const documents = DynamoDBDocumentClient.from(countCalls(new DynamoDBClient({ ...credentials, endpoint: dynamo.endpoint })));
    const streams = localStreamApi(dynamo.endpoint);
    stops.push(() => {
      sqs.destroy();
      documents.destroy();
    });

    const invoker = new LambdaInvoker(options.projectRoot);
    const limits = new Map<FunctionName, ReturnType<typeof concurrencyLimit>>();
    const lane = priorityLane({ targetMs: REQUEST_LATENCY_TARGET_MS, maxBackground: BACKGROUND_SLOTS, minBackground: MIN_BACKGROUND_SLOTS });
    const invoke = async (name: FunctionName, event: unknown) => {
      let limit = limits.get(name);
      if (!limit) limits.set(name, (limit = concurrencyLimit(routeFunctions.has(name) ? ROUTE_CONCURRENCY : BACKGROUND_CONCURRENCY)));
      // While DynamoDB Local is being restarted an invocation waits for it, as it would never see DynamoDB
      // down on AWS; failing instead would spend the bus's few quick retries and dead-letter accepted leads.
      await dynamo.serving();
      const timed = async () => {
        const t0 = performance.now();
        let failed = true;
        try {
          const result = await invoker.invoke(name, event);
          failed = false;
          return result;
        } finally {
          stats.invoked(name, performance.now() - t0, failed);
        }
      };
      // A caller waits on a route's function; everything else yields to them when their answers slow down.
      return routeFunctions.has(name) ? lane.request(() => limit(timed)) : limit(() => lane.background(timed));
    };

    const pollers = new Map<string, { wake(): void }>();
    const bus = new LocalEventBus({
      busName: LOCAL_BUS,
      port: busPort,
      sqs,
      queueUrl: (queue) => sqsServer.queueUrl(queueNames.of(queue as QueueName)),
      deadLetterQueueUrl: sqsServer.queueUrl(queueNames.eventsDeadLetter),
      onQueued: (queue) => pollers.get(queue)?.wake(),
      invokeFunction: (target, event) => invoke(target.function, event),
      retryDelayMs: (attempt) => 200 * 2 ** attempt,
      onDeliveryFailure: (rule, event, error) =>
        log(`rule ${rule} could not deliver ${event['detail-type']} ${event.id}: ${(error as Error)?.message ?? error}`),
    });
    await bus.start();
    stops.push(() => bus.stop());

    for (const [name, spec] of Object.entries(topology.queues) as Array<[QueueName, (typeof topology.queues)[QueueName]]>) {
      const poller = startQueuePoller({
        sqs,
        queueUrl: sqsServer.queueUrl(queueNames.of(name)),
        queueArn: sqsServer.queueArn(queueNames.of(name)),
        maxReceiveCount: spec.maxReceiveCount,
        deadLetterQueueUrl: sqsServer.queueUrl(queueNames.deadLetterOf(name)),
        batchSize: spec.consumer.batchSize,
        pollers: 4,
        invoke: (event) => invoke(spec.consumer.function, event),
        onError: (error) => log(`queue ${name}: ${(error as Error)?.message ?? error}`),
        onSettled: (ids) => bus.messagesSettled(ids),
      });
      pollers.set(name, poller);
      stops.push(() => poller.stop());
    }

    const apiUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${options.port}`;
    const demo = createDemoReceiver(
      (n) => {
        stats.notified();
        options.onNotification?.(n);
      },
      {
        host,
        isAdminToken: async (token) => Boolean(token) && (await findPrincipal({ client: documents, name: LOCAL_TABLE }, token!))?.kind === 'admin',
      },
    );
    let runScheduleNow: LocalPlatform['runSchedule'] = async () => {
      throw new Error('the schedules start once the platform is running');
    };
    const localAdmin = createLocalAdmin((name) => runScheduleNow(name), () => ({ ...stats.read(), lane: lane.state }), (ms) => bus.refusePublishes(ms));
    const server: Server = createHttpApi({
      invoke: (route, event) => invoke(route.function, event),
      localRoutes: async (req, body, url) => (await localAdmin(req, body, url)) ?? demo.route(req, body, url),
      onError: (error) => log(`http: ${(error as Error)?.stack ?? error}`),
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(options.port, host, () => ok());
    });
    stops.push(
      () =>
        new Promise<void>((ok) => {
          server.closeAllConnections();
          server.close(() => ok());
        }),
    );

    const endpoints = { dynamodb: dynamo.endpoint, sqs: sqsServer.endpoint, eventbridge: busEndpoint };
    const seeded = await seedLocal({ client: documents, name: LOCAL_TABLE }, dataDir, apiUrl, endpoints);
    await invoker.warm();
    // The stream is read from where the last run stopped: what was written but not yet done with then
    // is relayed now. Started once the demo reps point at this
    // run's URL (a replayed notification goes to the current port) and stopped before the pollers.
    const readers: StreamReader[] = [];
    for (const [name, spec] of Object.entries(topology.streams)) {
      const reader = startStreamReader({
        streams,
        streamArn,
        spec,
        checkpointFile: resolve(dataDir, 'stream', `${name}.json`),
        invoke: (event) => invoke(spec.function, event),
        settlement: bus,
        onError: (error) => log(`stream ${name}: ${(error as Error)?.message ?? error}`),
      });
      readers.push(reader);
      stops.push(() => reader.stop());
    }

    const scheduler = startScheduler(
      (spec, event) => invoke(spec.function, event),
      (name, error) => log(`schedule ${name}: ${(error as Error)?.message ?? error}`),
    );
    stops.push(() => scheduler.stop());
    runScheduleNow = (name) => scheduler.runNow(name);

    return {
      apiUrl,
      credentials: seeded,
      dataDir,
      endpoints,
      notifications: demo.received,
      runSchedule: (name) => scheduler.runNow(name),
      drainEvents: async () => {
        // Writes relayed lead to more writes: drained once the stream has nothing new and the bus is idle.
        await Promise.all(readers.map((r) => r.caughtUp()));
        await bus.drain();
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
