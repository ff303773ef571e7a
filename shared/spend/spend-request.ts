import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ClientError, ValidationError } from '../domain/errors.js';
import type { SpendImportOptions } from '../domain/spend-formats/spend-file.js';

/**
 * Largest body the spend routes take. Every row is a conditional write within API Gateway's 30 s, so a
 * request holds about ten thousand rows; bigger files go through `npm run spend:import`, which sends
 * them in parts.
 */
export const MAX_SPEND_BODY_BYTES = 1024 * 1024;

/** The body's bytes, or 413 pointing to the CLI when it is over the limit; 400 when it is empty. */
export function spendBody(event: APIGatewayProxyEventV2): Buffer {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > MAX_SPEND_BODY_BYTES) {
    throw new ClientError(
      413,
      'payload_too_large',
      `the body is ${raw.length} bytes; at most ${MAX_SPEND_BODY_BYTES} are taken in one request. Send bigger files with \`npm run spend:import -- <file>\`, which streams them in parts`,
    );
  }
  if (!raw.length) throw new ValidationError('the body is empty; send the spend rows or the exported file');
  return raw;
}

/** A JSON body of spend rows. */
export function spendJson(event: APIGatewayProxyEventV2): unknown {
  try {
    return JSON.parse(spendBody(event).toString('utf8'));
  } catch (error) {
    if (error instanceof ClientError) throw error;
    throw new ClientError(400, 'invalid_json', 'the body is not valid JSON');
  }
}

/** `?format=`, `?currency=` and `?micros=` of an import. */
export function importOptions(event: APIGatewayProxyEventV2): SpendImportOptions & { format?: string } {
  const q = event.queryStringParameters ?? {};
  const micros = q.micros;
  if (micros !== undefined && micros !== 'true' && micros !== 'false') {
    throw new ValidationError('invalid import options', [{ field: 'micros', problem: 'must be true or false' }]);
  }
  return {
    format: q.format || undefined,
    currency: q.currency ? q.currency.trim().toUpperCase() : undefined,
    micros: micros === undefined ? undefined : micros === 'true',
  };
}
