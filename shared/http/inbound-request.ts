import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { InboundRequest } from '../sources/adapter.js';
import { mediaTypeOf } from './body.js';

/**
 * The webhook request as adapters see it, from an API Gateway (payload 2.0) event: the body byte-exact,
 * header names lowercase, and the public URL the sender called rebuilt from the host, path and query
 * string (Twilio signs that URL; API Gateway and the local shim both set `x-forwarded-proto`).
 */
export function inboundRequestOf(event: APIGatewayProxyEventV2): InboundRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const proto = headers['x-forwarded-proto']?.split(',')[0]?.trim() || 'https';
  const host = headers.host ?? event.requestContext.domainName;
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return {
    method: event.requestContext.http.method.toUpperCase(),
    url: `${proto}://${host}${event.rawPath}${query}`,
    headers,
    query: Object.fromEntries(new URLSearchParams(event.rawQueryString ?? '')),
    mediaType: mediaTypeOf(event),
    raw,
    text: raw.toString('utf8'),
    receivedAt: new Date(event.requestContext.timeEpoch),
  };
}
