import type { Availability } from '../domain/directory.js';
import { NotFoundError } from '../domain/errors.js';
import type { RepStore } from './ports.js';

export interface AvailabilityPorts {
  reps: Pick<RepStore, 'setRepAvailability'>;
  /** Assigns the team's waiting leads that someone can take now (assign-lead.ts `drainTeamQueue`). */
  drainTeamQueue(teamId: string, now: Date): Promise<{ assigned: string[] }>;
}

/**
 * Sets the rep's availability. Going online assigns their team's waiting leads at once (to whoever of
 * the team can take them, by the team's strategy), rather than at the next sweep.
 */
export async function setAvailability(
  ports: AvailabilityPorts,
  input: { repId: string; availability: Availability; now: Date },
): Promise<{ repId: string; availability: Availability; assignedFromQueue: string[] }> {
  const { repId, availability, now } = input;
  const before = await ports.reps.setRepAvailability(repId, availability, now.toISOString());
  if (!before) throw new NotFoundError(`rep ${repId} no longer exists`);
  let assignedFromQueue: string[] = [];
  if (availability.status === 'online') assignedFromQueue = (await ports.drainTeamQueue(before.teamId, now)).assigned;
  return { repId, availability, assignedFromQueue };
}
