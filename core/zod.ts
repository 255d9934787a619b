/**
 * zod's mini build, with the English messages the full build sets up on import. Code the edge
 * bundles checks its input with this: the full build is about 450 KB of the worker, the mini one
 * about 20 KB, and both give the same issues and messages (docs/decisions/0036).
 */
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());

export * from "zod/mini";
