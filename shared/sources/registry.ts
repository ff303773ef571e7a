import type { SourceAdapter } from './adapter.js';
import { adAdapters } from './ads.js';
import { callAdapters } from './calls.js';
import { formAdapters } from './forms.js';

/** Every provider leadflow reads, for the sources admin API (each intake function bundles only its family). */
export const allAdapters: readonly SourceAdapter[] = [...formAdapters, ...adAdapters, ...callAdapters];
