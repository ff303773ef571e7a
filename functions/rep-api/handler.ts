import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { acceptLinkConfig, config } from '../../shared/aws/config.js';
import { table } from '../../shared/aws/runtime.js';
import { authenticate } from '../../shared/http/auth.js';
import { boundedPathParameters } from '../../shared/http/bounded-ids.js';
import { httpErrors } from '../../shared/http/errors.js';
import { answerAcceptLink, answerRepRoute, type RepApiPorts, type RepEvent } from '../../shared/http/rep-routes.js';
import { logger } from '../../shared/observability/logger.js';
import { dynamoLeadStore, dynamoRepStore } from '../../shared/store/adapters.js';
import { activeRoutingConfig } from '../../shared/store/config-store.js';
import { drainTeamQueue } from '../../shared/use-cases/assign-lead.js';

const assignDeps = { table, routingConfig: () => activeRoutingConfig(table) };
const ports: RepApiPorts = {
  leads: dynamoLeadStore(table),
  reps: dynamoRepStore(table),
  drainTeamQueue: (teamId, now) => drainTeamQueue(assignDeps, teamId, now),
  linkSecret: acceptLinkConfig(config()).secret,
};
const linkHandler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>().use(httpErrors()).use(boundedPathParameters()).handler((event) => answerAcceptLink(ports, event, new Date()));
const repHandler = middy<RepEvent, APIGatewayProxyResultV2>().use(httpErrors()).use(boundedPathParameters()).use(authenticate(table, 'rep')).handler((event) => answerRepRoute(ports, event, new Date()));

/** The rep's side: `/v1/accept/{token}` (the signed link is the credential) and `/v1/rep/...` with a rep token. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger))
  .handler((event, context) => (event.routeKey.includes(' /v1/accept/') ? linkHandler(event, context) : repHandler(event as RepEvent, context)));
