import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/aws/config.js';

const required = { TABLE_NAME: 'leadflow', EVENT_BUS_NAME: 'leadflow-bus' };

function errorOf(env: NodeJS.ProcessEnv): string {
  try {
    parseConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected parseConfig to throw');
}

describe('parseConfig', () => {
  it('names TABLE_NAME, and only it, when it is the one variable missing', () => {
    const message = errorOf({ EVENT_BUS_NAME: 'leadflow-bus' });
    expect(message).toMatch(/^leadflow configuration is invalid: /);
    expect(message).toContain('TABLE_NAME');
    expect(message).not.toContain('EVENT_BUS_NAME');
  });

  it('names every missing variable in one error', () => {
    const message = errorOf({});
    expect(message).toMatch(/^leadflow configuration is invalid: .*TABLE_NAME.*; .*EVENT_BUS_NAME/);
  });

  it('treats an empty or blank TABLE_NAME as missing', () => {
    expect(errorOf({ ...required, TABLE_NAME: '' })).toContain('TABLE_NAME');
    expect(errorOf({ ...required, TABLE_NAME: '   ' })).toContain('TABLE_NAME');
  });

  it('applies the defaults for the timeout, the dedupe window and the merge window', () => {
    expect(parseConfig(required)).toEqual({
      TABLE_NAME: 'leadflow',
      EVENT_BUS_NAME: 'leadflow-bus',
      NOTIFY_TIMEOUT_MS: 5000,
      DEDUPE_WINDOW_SECONDS: 600,
      MERGE_WINDOW_SECONDS: 86_400,
    });
  });

  it('coerces numeric variables from their string form', () => {
    const config = parseConfig({ ...required, NOTIFY_TIMEOUT_MS: '2500', DEDUPE_WINDOW_SECONDS: '30' });
    expect(config.NOTIFY_TIMEOUT_MS).toBe(2500);
    expect(config.DEDUPE_WINDOW_SECONDS).toBe(30);
  });

  it('names a numeric variable that is not a number, and only it', () => {
    const message = errorOf({ ...required, NOTIFY_TIMEOUT_MS: 'soon' });
    expect(message).toMatch(/^leadflow configuration is invalid: .*NOTIFY_TIMEOUT_MS/);
    expect(message).not.toContain('TABLE_NAME');
    expect(message).not.toContain('DEDUPE_WINDOW_SECONDS');
  });

  it('rejects zero, negative and fractional values for the numeric variables', () => {
    expect(errorOf({ ...required, DEDUPE_WINDOW_SECONDS: '0' })).toContain('DEDUPE_WINDOW_SECONDS');
    expect(errorOf({ ...required, DEDUPE_WINDOW_SECONDS: '-3' })).toContain('DEDUPE_WINDOW_SECONDS');
    expect(errorOf({ ...required, NOTIFY_TIMEOUT_MS: '1.5' })).toContain('NOTIFY_TIMEOUT_MS');
  });

  it('names a missing string and a bad number together', () => {
    const message = errorOf({ EVENT_BUS_NAME: 'leadflow-bus', DEDUPE_WINDOW_SECONDS: '-1' });
    expect(message).toContain('TABLE_NAME');
    expect(message).toContain('DEDUPE_WINDOW_SECONDS');
  });

  it('leaves unrelated environment variables out of the config', () => {
    const config = parseConfig({ ...required, PATH: '/usr/bin', AWS_REGION: 'eu-west-1' });
    expect(Object.keys(config).sort()).toEqual([
      'DEDUPE_WINDOW_SECONDS',
      'EVENT_BUS_NAME',
      'MERGE_WINDOW_SECONDS',
      'NOTIFY_TIMEOUT_MS',
      'TABLE_NAME',
    ]);
  });

  it('reads only the environment it is given, not process.env', () => {
    const saved = process.env.TABLE_NAME;
    process.env.TABLE_NAME = 'from-process-env';
    try {
      expect(errorOf({ EVENT_BUS_NAME: 'leadflow-bus' })).toContain('TABLE_NAME');
      expect(parseConfig(required).TABLE_NAME).toBe('leadflow');
    } finally {
      if (saved === undefined) delete process.env.TABLE_NAME;
      else process.env.TABLE_NAME = saved;
    }
  });

  it('leaves process.env as it was, whether parsing succeeds or fails', () => {
    const before = process.env;
    const path = process.env.PATH;
    parseConfig(required);
    errorOf({});
    expect(process.env).toBe(before);
    expect(process.env.PATH).toBe(path);
  });
});
