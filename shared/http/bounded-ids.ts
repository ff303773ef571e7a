import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { NotFoundError, ValidationError } from '../domain/errors.js';

/**
 * The longest id leadflow gives out or accepts from an admin, in UTF-8 bytes: source, rep and team ids
 * are at most 64 characters, lead ids 26, config versions a few digits. Anything longer cannot name
 * something that exists. DynamoDB refuses a partition key over 2,048 bytes (a sort key over 1,024) with
 * a ValidationException, which would otherwise surface as a 500 anyone can cause without credentials.
 */
export const MAX_ID_BYTES = 128;

/** Path parameters that are not ids: a signed accept link (checked by its HMAC, never looked up), Mango's event path. */
const LONGER_PARAMETERS: Readonly<Record<string, number>> = { token: 2048, event: 256 };

/** Control characters have no place in an id; they are also what log injection is made of. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Whether a value from outside can be an id of at most `maxBytes` UTF-8 bytes. */
export function isBoundedId(value: string, maxBytes = MAX_ID_BYTES): boolean {
  return value.length > 0 && Buffer.byteLength(value, 'utf8') <= maxBytes && !CONTROL.test(value);
}

/**
 * Refuses, with 400 naming the field, an id taken from a query string or a body that cannot be one,
 * before it becomes a storage key.
 */
export function requireBoundedId(value: string, field: string, maxBytes = MAX_ID_BYTES): string {
  if (!isBoundedId(value, maxBytes)) {
    throw new ValidationError('the request is not valid', [
      { field, problem: `must be an id of 1 to ${maxBytes} bytes without control characters` },
    ]);
  }
  return value;
}

/**
 * Answers 404 for a path parameter that cannot name anything that exists (too long, or with control
 * characters), before authentication and before any read: nothing is looked up for it. Use it right
 * after the error middleware in every HTTP handler.
 */
export function boundedPathParameters(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    before: async (request) => {
      for (const [name, value] of Object.entries(request.event.pathParameters ?? {})) {
        if (value === undefined) continue;
        const max = Object.hasOwn(LONGER_PARAMETERS, name) ? LONGER_PARAMETERS[name]! : MAX_ID_BYTES;
        if (!isBoundedId(value, max)) {
          throw new NotFoundError(`no ${name} like that exists: path parameter ${name} must be 1 to ${max} bytes without control characters`);
        }
      }
    },
  };
}
