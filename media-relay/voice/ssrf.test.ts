import { describe, expect, it } from "vitest";
import { isForbiddenAddress } from "./ssrf";

describe("the SSRF guard's address check", () => {
  it("refuses loopback, private, link-local, CGNAT, multicast and unspecified addresses", () => {
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
    ]) {
      expect(isForbiddenAddress(a), a).toBe(true);
    }
  });
  it("allows public addresses", () => {
    for (const a of [
      "8.8.8.8",
      "172.32.0.1",
      "100.128.0.1",
      "93.184.216.34",
      "2606:4700::6810:84e5",
      "::ffff:8.8.8.8",
    ]) {
      expect(isForbiddenAddress(a), a).toBe(false);
    }
  });
});
