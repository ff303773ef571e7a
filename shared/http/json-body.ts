import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ClientError } from '../domain/errors.js';
import { parseJsonBody } from '../domain/parse-json.js';

/**
 * Reads a JSON request body: 413 over `maxBytes`, 400 for an empty body or one that is not JSON. The one
 * reader of the JSON APIs (rep, admin, configs, sources); webhooks read bytes first (shared/http/body.ts)
 * and parse with the same `parseJsonBody`.
 */
export function readJsonBody(event: APIGatewayProxyEventV2, maxBytes = 64 * 1024, what = 'JSON'): unknown {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > maxBytes) throw new ClientError(413, 'payload_too_large', `the body is ${raw.length} bytes; at most ${maxBytes} are accepted`);
  const text = raw.toString('utf8');
  if (!text.trim()) throw new ClientError(400, 'invalid_request', `the body is empty; send ${what}`);
  return parseJsonBody(text);
}
