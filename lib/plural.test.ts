import { describe, expect, it } from "vitest";
import { plural } from "./plural";

describe("plural", () => {
  it("uses the singular for one and the plural otherwise", () => {
    expect(plural(1, "event has", "events have")).toBe("1 event has");
    expect(plural(0, "event has", "events have")).toBe("0 events have");
    expect(plural(1200, "delivery", "deliveries")).toBe("1,200 deliveries");
  });
});
