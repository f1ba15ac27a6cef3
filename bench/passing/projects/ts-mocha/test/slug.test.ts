import { strict as assert } from "assert";
import { fetchTitle, slugify } from "../src/slug";

describe("slugify", () => {
  it("lower-cases and joins words with dashes", () => {
    assert.equal(slugify("Hello, World!"), "hello-world");
  });

  it("keeps digits", () => {
    assert.equal(slugify("Release 2.0"), "release-2-0");
  });
});

describe("fetchTitle", () => {
  it("resolves the title", async () => {
    assert.equal(await fetchTitle(7), "Post 7");
  });
});
