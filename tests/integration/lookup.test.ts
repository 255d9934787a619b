import { afterAll, describe, expect, inject, it } from "vitest";
import { getAgent } from "../../db/queries/agents";
import { orNotFound } from "../../db/lookup";
import { createNodeDb } from "../../db/node-client";
import { freePort } from "../support/processes";

/**
 * The portal's pages look things up by ids from their URLs. They turned every failure into
 * "not found": a query lost on the way (issue 18) answered 404 and was logged nowhere. Only an
 * id that is not one is "not found"; a lost query is a server error.
 */
const db = createNodeDb(inject("appUrl"), { max: 1 });
afterAll(() => db.$pool.end());
const tenantId = crypto.randomUUID();

describe("orNotFound", () => {
  it("is null for an id that is not a uuid, and for one that names nothing", async () => {
    for (const id of ["not-a-uuid", "1", "' or 1=1 --", `${crypto.randomUUID()}x`, "\0", "\u{1F600}".repeat(1000)]) expect(await orNotFound(getAgent(db, { id, tenantId }))).toBeNull();
    expect(await orNotFound(getAgent(db, { id: crypto.randomUUID(), tenantId }))).toBeNull();
  });

  it("lets a lost query fail as the error it is", async () => {
    const gone = createNodeDb(`postgres://bvrai_app@127.0.0.1:${await freePort()}/none`, { max: 1 });
    try {
      await expect(orNotFound(getAgent(gone, { id: crypto.randomUUID(), tenantId }))).rejects.toThrow();
    } finally {
      await gone.$pool.end();
    }
  });
});
