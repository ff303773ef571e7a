import { Logger } from '@aws-lambda-powertools/logger';

/** The process's structured logger; Powertools reads POWERTOOLS_LOG_LEVEL and the service name. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'leadflow' });
