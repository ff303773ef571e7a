import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { ClientError } from '../domain/errors.js';
import { logger } from '../observability/logger.js';
import { json } from './responses.js';

/**
 * Turns errors into JSON responses. A `ClientError` shows its code, message and field problems; any
 * other error is logged in full and answered with an opaque 500, never its message or stack.
 */
export function httpErrors(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof ClientError) {
        request.response = json(error.statusCode, {
          error: error.code,
          message: error.message,
          ...(error.fields.length ? { fields: error.fields } : {}),
        });
        return;
      }
      logger.error('request failed', { error: error as Error });
      request.response = json(500, {
        error: 'internal_error',
        message: 'leadflow could not handle the request; it is safe to retry',
        requestId: request.context.awsRequestId,
      });
    },
  };
}
