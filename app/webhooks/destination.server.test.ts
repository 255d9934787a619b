import { describe, expect, it } from "vitest";
import { isPrivateAddress, resolveDestination } from "./destination.server";

describe("webhook destinations", () => {
  it("classify private, loopback, link-local and mapped addresses as private", () => {
    for (const a of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1"])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ["8.8.8.8", "172.32.0.1", "93.184.216.34", "2606:4700::1111"]) expect(isPrivateAddress(a), a).toBe(false);
  });

  it("refuse a name that resolves to loopback, after resolving it", async () => {
    await expect(resolveDestination("http://localhost:9/hook", { allowPrivate: false })).rejects.toThrow(/localhost resolves to (127\.0\.0\.1|::1), a private/);
    await expect(resolveDestination("https://[::1]/hook", { allowPrivate: false })).rejects.toThrow(/::1/);
    await expect(resolveDestination("http://169.254.169.254/latest/meta-data", { allowPrivate: false })).rejects.toThrow(/link-local/);
  });

  it("refuse other schemes, credentials and names that do not resolve", async () => {
    await expect(resolveDestination("ftp://example.com/", { allowPrivate: true })).rejects.toThrow(/http or https/);
    await expect(resolveDestination("https://u:p@example.com/", { allowPrivate: true })).rejects.toThrow(/user name/);
    await expect(resolveDestination("https://nothing.invalid/", { allowPrivate: true })).rejects.toThrow(/does not resolve/);
    await expect(resolveDestination("not a url", { allowPrivate: true })).rejects.toThrow(/valid URL/);
  });

  it("let development reach a local receiver when private destinations are allowed", async () => {
    const d = await resolveDestination("http://127.0.0.1:4000/hook", { allowPrivate: true });
    expect(d).toMatchObject({ address: "127.0.0.1", family: 4 });
  });
});
