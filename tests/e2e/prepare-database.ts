import { freshDatabase } from "../support/databases";
import { e2e } from "./settings";

// Run before Playwright (which starts the web server before any global setup): an empty
// database that `npm run dev` then migrates itself, as it would on a fresh machine.
await freshDatabase(e2e.database, { migrate: false });
console.log(`e2e database ${e2e.database} is empty and ready`);

// And an empty development outbox, so the mail the tests read is this run's.
const { rm } = await import("node:fs/promises");
await rm(e2e.mailbox, { recursive: true, force: true });
