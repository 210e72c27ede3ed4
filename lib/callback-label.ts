/** What a callback is called: its name where one is set, else its place in the process. */
export type CallbackNaming = {
  /** The admin's name for it ("CRM sync"); null, undefined or blank when unnamed. */
  name?: string | null;
  /** Its place in the process, from 0. */
  position: number;
};

/** "CRM sync" for a named callback, "Callback 2" for the second unnamed one. */
export function callbackLabel({ name, position }: CallbackNaming): string {
  const trimmed = name?.trim();
  return trimmed ? trimmed : `Callback ${position + 1}`;
}

/** The label with the URL it sends to, as the audit log and replays name a callback: "CRM sync (https://…)". */
export function callbackLabelWithUrl(callback: CallbackNaming & { url: string }): string {
  return `${callbackLabel(callback)} (${callback.url})`;
}
