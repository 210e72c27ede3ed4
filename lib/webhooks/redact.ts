export const REDACTED = "[redacted]";

/**
 * A callback's stored secrets (the Bearer token or custom header value, the signing secrets) as a receiver
 * could send them back: a signing secret whole and as its base64 key without `whsec_`; each as it is,
 * base64-encoded, and with `/` escaped as JSON encoders such as PHP's write it.
 */
export function secretForms(stored: (string | undefined)[]): string[] {
  const secrets = stored.flatMap((s) => (s ? [s, s.replace(/^whsec_/, "")] : []));
  const forms = secrets.flatMap((s) => [
    s,
    Buffer.from(s).toString("base64"),
    Buffer.from(s).toString("base64url"),
  ]);
  const all = [...forms, ...forms.filter((f) => f.includes("/")).map((f) => f.replaceAll("/", "\\/"))];
  // Longest first, so a secret inside a longer form is replaced as part of it.
  return [...new Set(all)].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every occurrence of the secrets in text a receiver sent back (a response excerpt, a redirect's
 * Location) with "[redacted]", also a secret's beginning where the 2 KB excerpt cut it off, so an endpoint
 * that echoes its request (or a URL moved to one) never shows a stored secret to whoever reads the attempt.
 */
export function redactSecrets(text: string, forms: string[]): string {
  let out = text;
  for (const form of forms) out = out.split(form).join(REDACTED);
  for (const form of forms) {
    // The longest tail (4 characters or more) that a secret begins with.
    const head = form.slice(0, 4);
    let cut = -1;
    let at = out.lastIndexOf(head);
    while (at !== -1 && at > out.length - form.length) {
      if (form.startsWith(out.slice(at))) cut = at;
      at = at === 0 ? -1 : out.lastIndexOf(head, at - 1);
    }
    if (cut !== -1) out = out.slice(0, cut) + REDACTED;
  }
  return out;
}
