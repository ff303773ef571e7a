import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { ClientError } from '../domain/errors.js';

/** The request body, decoded once for handlers and kept byte-exact for signature checks and archiving. */
export interface RequestBody {
  /** Media type without parameters, lowercase. */
  mediaType: string;
  raw: Buffer;
  text: string;
}

export type EventWithBody = APIGatewayProxyEventV2 & { requestBody: RequestBody };

/** The body's media type, without parameters and lowercase; '' when the header is missing. */
export function mediaTypeOf(event: APIGatewayProxyEventV2): string {
  const header = event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '';
  return header.split(';')[0]!.trim().toLowerCase();
}

/**
 * Decodes the body and rejects what the handler cannot take: 413 over `maxBytes`, 415 for a media type
 * not in `accept`, 400 for an empty body.
 */
export function readBody(options: { accept: string[]; maxBytes: number }): middy.MiddlewareObj<EventWithBody, APIGatewayProxyResultV2> {
  return {
    before: async (request) => {
      const event = request.event;
      const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
      if (raw.length > options.maxBytes) {
        throw new ClientError(413, 'payload_too_large', `the body is ${raw.length} bytes; at most ${options.maxBytes} are accepted`);
      }
      const mediaType = mediaTypeOf(event);
      if (!options.accept.includes(mediaType)) {
        throw new ClientError(
          415,
          'unsupported_media_type',
          `content type "${mediaType || '(none)'}" is not accepted; send one of ${options.accept.join(', ')}`,
        );
      }
      if (raw.length === 0) throw new ClientError(400, 'invalid_request', 'the body is empty');
      event.requestBody = { mediaType, raw, text: raw.toString('utf8') };
    },
  };
}
