/** Whether `value` is a UUID in its usual text form: ids from a URL or a form are checked before a query. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/**
 * A route's id parameter, or undefined when it is not a UUID: pages answer notFound() for it, so the
 * queries they call only ever see ids of the right form.
 */
export function uuidParam(value: string | undefined): string | undefined {
  return value !== undefined && isUuid(value) ? value : undefined;
}
