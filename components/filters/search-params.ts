/** A page's query string as Next hands it to the page. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** One query-string value, trimmed; "" when absent. */
export function queryValue(params: SearchParams, name: string): string {
  const value = params[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

/**
 * The query value `name` when `valid` accepts it. Otherwise undefined, and when one was given, the
 * sentence `ignored` makes of it joins `problems`: a bad link is explained on the page, never fatal.
 */
export function checkedValue<T extends string>(
  params: SearchParams,
  name: string,
  valid: (value: string) => value is T,
  ignored: (value: string) => string,
  problems: string[],
): T | undefined {
  const value = queryValue(params, name);
  if (value && valid(value)) return value;
  if (value) problems.push(ignored(value));
  return undefined;
}

/** `path` with these filters (empty ones left out) and, for an older page, its cursor. */
export function filterHref(path: string, values: Record<string, string>, cursor?: string): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) query.set(name, value);
  if (cursor) query.set("cursor", cursor);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export function hasFilters(values: Record<string, string>): boolean {
  return Object.values(values).some(Boolean);
}
