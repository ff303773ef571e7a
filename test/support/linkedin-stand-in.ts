import { startApiStandIn, type ApiStandIn } from './graph-stand-in.js';

/**
 * Stands in for LinkedIn's Lead Sync API: `GET /rest/leadFormResponses/{id}` serves the configured
 * leads and `GET /rest/leadForms/{id}` the configured forms (keyed by the numeric form id). It checks
 * the bearer token and the version header: 401 for a wrong token, 426 without a version, 404 for an
 * unknown id or path.
 */
export async function startLinkedInStandIn(options: {
  accessToken: string;
  leads: Record<string, unknown>;
  forms?: Record<string, unknown>;
}): Promise<ApiStandIn> {
  return startApiStandIn((request) => {
    const lead = /^\/rest\/leadFormResponses\/([A-Za-z0-9_-]+)$/.exec(request.path);
    const form = /^\/rest\/leadForms\/(\d+)$/.exec(request.path);
    if (request.method !== 'GET' || !(lead?.[1] || form?.[1])) return { status: 404, body: { status: 404, message: 'Not found' } };
    if (request.headers.authorization !== `Bearer ${options.accessToken}`) {
      return { status: 401, body: { status: 401, serviceErrorCode: 65600, message: 'Invalid access token' } };
    }
    if (!request.headers['linkedin-version']) {
      return { status: 426, body: { status: 426, message: 'A version header is required' } };
    }
    const [kind, id, found] = lead?.[1] ? ['Lead', lead[1], options.leads[lead[1]]] : ['Lead form', form![1]!, options.forms?.[form![1]!]];
    if (found === undefined) return { status: 404, body: { status: 404, message: `${kind} ${id} not found` } };
    return { status: 200, body: found };
  });
}
