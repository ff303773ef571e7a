import { startApiStandIn, type ApiStandIn } from './graph-stand-in.js';

/**
 * Stands in for `GET /rest/leadFormResponses/{id}` of LinkedIn's Lead Sync API: checks the bearer
 * token and the version header, serves the configured leads by id, 401 for a wrong token, 404 for an
 * unknown id.
 */
export async function startLinkedInStandIn(options: { accessToken: string; leads: Record<string, unknown> }): Promise<ApiStandIn> {
  return startApiStandIn((request) => {
    const match = /^\/rest\/leadFormResponses\/([A-Za-z0-9_-]+)$/.exec(request.path);
    if (request.method !== 'GET' || !match?.[1]) return { status: 404, body: { status: 404, message: 'Not found' } };
    if (request.headers.authorization !== `Bearer ${options.accessToken}`) {
      return { status: 401, body: { status: 401, serviceErrorCode: 65600, message: 'Invalid access token' } };
    }
    if (!request.headers['linkedin-version']) {
      return { status: 426, body: { status: 426, message: 'A version header is required' } };
    }
    const lead = options.leads[match[1]];
    if (lead === undefined) return { status: 404, body: { status: 404, message: `Lead ${match[1]} not found` } };
    return { status: 200, body: lead };
  });
}
