import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { exampleCurl, exampleEvent, sampleEvent } from "./sample-event";
import { leadEventSchema } from "./validations/event";

const processId = "0b7e4c6e-2f4a-4d38-9f3e-1d2c3b4a5f60";

describe("the process page's example request", () => {
  it("is the README's event for this process, valid as the ingest route checks it", () => {
    const event = exampleEvent(processId);
    expect(leadEventSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({ id: "evt_1001", type: "call.completed", processId });
  });

  it("is a curl command a shell runs as written: the URL, the key's place, the JSON body", () => {
    const curl = exampleCurl("http://127.0.0.1:3000", processId, "evt_example_1");
    expect(curl.split("\n")[0]).toBe("curl -X POST 'http://127.0.0.1:3000/api/events' \\");
    // The shell's own reading of the command: `sh` parses it and prints each argument curl would get.
    const argv = execFileSync("sh", ["-c", `set -- ${curl.replace(/^curl /, "")}; printf '%s\\0' "$@"`])
      .toString()
      .split("\0")
      .slice(0, -1);
    expect(argv).toEqual([
      "-X",
      "POST",
      "http://127.0.0.1:3000/api/events",
      "-H",
      "Authorization: Bearer lh_YOUR_KEY",
      "-H",
      "Content-Type: application/json",
      "-d",
      expect.any(String),
    ]);
    expect(JSON.parse(argv[8] as string)).toEqual(exampleEvent(processId, "evt_example_1"));
  });

  it("names a new event id each time it is shown: one process's example never collides with another's", () => {
    const ids = [1, 2, 3].map(() => /"id": "(evt_example_[0-9a-f]+)"/.exec(exampleCurl("", processId))?.[1]);
    expect(new Set(ids).size).toBe(3);
    expect(ids.every(Boolean)).toBe(true);
  });
});

describe("Send sample event's event", () => {
  it("passes the ingest schema and has a new id (and call id) each time", () => {
    const now = new Date("2026-12-07T10:00:00Z");
    const a = sampleEvent(processId, now);
    const b = sampleEvent(processId, now);
    expect(leadEventSchema.safeParse(a).success).toBe(true);
    expect(a.id).toMatch(/^evt_sample_/);
    expect(a.id).not.toBe(b.id);
    expect(a.activity).toMatchObject({ type: "call", outcome: "answered" });
    expect(a.activity && "callId" in a.activity ? a.activity.callId : "").not.toBe(
      b.activity && "callId" in b.activity ? b.activity.callId : "",
    );
    expect(a).toMatchObject({ processId, type: "call.completed", lead: { id: "lead_sample" } });
    expect(a.occurredAt).toBe("2026-12-07T09:59:55.000Z");
  });
});
