import { freshDatabase } from "../support/databases";
import { e2e } from "./settings";

// Run before Playwright (which starts the web server before any global setup): an empty
// database that `npm run dev` then migrates itself, as it would on a fresh machine.
await freshDatabase(e2e.database, { migrate: false });
console.log(`e2e database ${e2e.database} is empty and ready`);
