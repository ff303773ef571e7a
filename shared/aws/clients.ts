import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { countCalls } from '../observability/call-counter.js';
import { MARSHALL_OPTIONS } from '../store/marshall-options.js';

/**
 * SDK clients, created once per process and reused by every invocation. Endpoints come from the SDK's
 * standard resolution (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_EVENTBRIDGE` locally). Each counts
 * its calls by operation (observability/call-counter.ts); a client added here should be counted too.
 */
export const dynamo = DynamoDBDocumentClient.from(countCalls(new DynamoDBClient({})), {
  marshallOptions: MARSHALL_OPTIONS,
});

export const eventBridge = countCalls(new EventBridgeClient({}));
