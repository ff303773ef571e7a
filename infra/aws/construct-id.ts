/** A construct id for a topology name: `intake-web` becomes `IntakeWeb`, so logical ids stay readable. */
export function constructId(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
