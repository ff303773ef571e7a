export * from './detail-types.js';
export * from './common.js';
export * from './lead-captured.js';
export * from './lead-qualified.js';
export * from './lead-assigned.js';
export * from './rep-notified.js';
export * from './patterns.js';
