/** "1 event has" / "3 events have": the count with the singular or plural wording that follows it. */
export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}
