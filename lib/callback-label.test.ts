import { describe, expect, it } from "vitest";
import { callbackLabel, callbackLabelWithUrl } from "./callback-label";

describe("callbackLabel", () => {
  it("says Callback N, counting from 1, for an unnamed callback", () => {
    expect(callbackLabel({ position: 0 })).toBe("Callback 1");
    expect(callbackLabel({ name: null, position: 2 })).toBe("Callback 3");
  });

  it("uses the name where one is set", () => {
    expect(callbackLabel({ name: "CRM sync", position: 1 })).toBe("CRM sync");
  });

  it("treats a blank name as no name", () => {
    expect(callbackLabel({ name: "   ", position: 0 })).toBe("Callback 1");
    expect(callbackLabel({ name: "", position: 4 })).toBe("Callback 5");
  });

  it("keeps the URL beside the label where one is asked for", () => {
    expect(callbackLabelWithUrl({ name: "CRM sync", position: 0, url: "https://crm.example.com/hook" })).toBe(
      "CRM sync (https://crm.example.com/hook)",
    );
    expect(callbackLabelWithUrl({ name: null, position: 1, url: "https://b.example.com/" })).toBe(
      "Callback 2 (https://b.example.com/)",
    );
  });
});
