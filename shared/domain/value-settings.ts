import { DEFAULT_MODEL_OPTIONS, type ModelOptions } from './attribution-models.js';
import { ValidationError, type FieldProblem } from './errors.js';
import { DEFAULT_SEGMENT_CONFIG, parseSegmentConfig, type SegmentConfig } from './segments.js';

/** What an admin configures about customer value and attribution. */
export interface ValueSettings {
  segments: SegmentConfig;
  attribution: ModelOptions;
}

export const DEFAULT_VALUE_SETTINGS: ValueSettings = { segments: DEFAULT_SEGMENT_CONFIG, attribution: DEFAULT_MODEL_OPTIONS };

/**
 * Reads `PUT /v1/admin/value-settings`: `segments` (see parseSegmentConfig) and `attribution`
 * (`lookbackDays` 1..365, `halfLifeDays` 1..365); a part left out keeps its default.
 */
export function parseValueSettings(body: unknown): ValueSettings {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('the settings must be a JSON object');
  const input = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(input)) {
    if (key !== 'segments' && key !== 'attribution') problems.push({ field: key, problem: 'unknown field; the settings have segments and attribution' });
  }
  let segments = DEFAULT_SEGMENT_CONFIG;
  if (input.segments !== undefined) {
    try {
      segments = parseSegmentConfig(input.segments);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...(error.fields.length ? error.fields : [{ field: '', problem: error.message }]).map((f) => ({ field: `segments${f.field ? `.${f.field}` : ''}`, problem: f.problem })));
    }
  }
  const attribution = { ...DEFAULT_MODEL_OPTIONS };
  if (input.attribution !== undefined) {
    const a = input.attribution as Record<string, unknown>;
    if (!a || typeof a !== 'object' || Array.isArray(a)) problems.push({ field: 'attribution', problem: 'must be an object with lookbackDays and halfLifeDays' });
    else {
      for (const key of Object.keys(a)) {
        if (key !== 'lookbackDays' && key !== 'halfLifeDays') problems.push({ field: `attribution.${key}`, problem: 'unknown field; allowed are lookbackDays, halfLifeDays' });
      }
      for (const key of ['lookbackDays', 'halfLifeDays'] as const) {
        const value = a[key];
        if (value === undefined) continue;
        if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 365) {
          problems.push({ field: `attribution.${key}`, problem: 'must be a whole number of days from 1 to 365' });
        } else attribution[key] = value as number;
      }
    }
  }
  if (problems.length) throw new ValidationError('the value settings are not valid', problems);
  return { segments, attribution };
}
