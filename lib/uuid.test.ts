import { describe, expect, it } from "vitest";
import { uuidParam } from "./uuid";

describe("uuidParam", () => {
  it("passes a UUID through and turns anything else into undefined, for the page's notFound()", () => {
    const id = "0b6f7c1e-3a52-4e0f-9d8c-2f4b1a6e9c70";
    expect(uuidParam(id)).toBe(id);
    for (const forged of ["not-a-uuid", `${id}'--`, "", undefined]) expect(uuidParam(forged)).toBeUndefined();
  });
});
