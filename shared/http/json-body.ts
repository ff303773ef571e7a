import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ClientError } from '../domain/errors.js';

/** Reads a JSON request body: 413 over `maxBytes`, 400 for an empty body or one that is not JSON. */
export function readJsonBody(event: APIGatewayProxyEventV2, maxBytes = 64 * 1024): unknown {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > maxBytes) throw new ClientError(413, 'payload_too_large', `the body is ${raw.length} bytes; at most ${maxBytes} are accepted`);
  const text = raw.toString('utf8');
  if (!text.trim()) throw new ClientError(400, 'invalid_request', 'the body is empty; send JSON');
  try {
    return JSON.parse(text);
  } catch {
    throw new ClientError(400, 'invalid_json', 'the body is not valid JSON');
  }
}
