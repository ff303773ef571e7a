import type { marshallOptions } from '@aws-sdk/util-dynamodb';

/**
 * How items are written, the same for the functions and for tests against DynamoDB Local. Senders name
 * form fields: an answer named `constructor` gives its map an own `constructor` property, which the
 * marshaller takes for a class instance and refuses (a 500 on every retry) unless told to write it as a
 * map. Undefined optional fields are left out rather than refused.
 */
export const MARSHALL_OPTIONS: marshallOptions = { removeUndefinedValues: true, convertClassInstanceToMap: true };
