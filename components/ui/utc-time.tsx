/** A timestamp shown in UTC, identical on server and client (no hydration drift). */
export function UtcTime({ iso, withSeconds = false }: { iso: string; withSeconds?: boolean }) {
  const date = new Date(iso);
  const text = date
    .toISOString()
    .slice(0, withSeconds ? 19 : 16)
    .replace("T", " ");
  return <time dateTime={iso}>{text} UTC</time>;
}
