import { dynamo, eventBridge } from './clients.js';
import { config } from './config.js';
import { eventBridgePublisher } from './event-publisher.js';
import type { Table } from '../store/table.js';

/** The table and publisher every handler uses, built once per process from the configuration. */
export const table: Table = { client: dynamo, name: config().TABLE_NAME };
export const publisher = eventBridgePublisher(eventBridge, config().EVENT_BUS_NAME);
