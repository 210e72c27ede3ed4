import { deliver } from "./functions/deliver";
import { disableFailingCallbacks } from "./functions/disable-failing-callbacks";
import { fanOut } from "./functions/fan-out";
import { purgeExpired } from "./functions/purge-expired";
import { replay } from "./functions/replay";
import { resendHandoffs } from "./functions/resend-handoffs";

/** Every Inngest function leadhook serves. */
export const functions = [fanOut, deliver, resendHandoffs, disableFailingCallbacks, purgeExpired, replay];
