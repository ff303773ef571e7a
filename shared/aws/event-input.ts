import * as z from 'zod/mini';

/** Thrown for an event whose detail breaks its contract; retrying cannot fix it, so it lands in the DLQ. */
export class ContractError extends Error {
  override readonly name = 'ContractError';
}

/** Parses an event's detail against its contract, naming every problem. */
export function parseDetail<S extends z.ZodMiniType>(schema: S, detailType: string, detail: unknown): z.infer<S> {
  const result = z.safeParse(schema, detail);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(detail)'}: ${i.message}`).join('; ');
    throw new ContractError(`${detailType} event breaks its contract: ${problems}`);
  }
  return result.data;
}
