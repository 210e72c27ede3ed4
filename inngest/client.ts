import { Inngest } from "inngest";

/** The one Inngest client; functions and the serve route are added by the delivery work. */
export const inngest = new Inngest({ id: "leadhook" });
