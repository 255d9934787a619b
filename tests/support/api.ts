import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiServices } from "../../app/api/context";
import { folderStore } from "../../app/recordings/object-store.server";
import type { Telephony } from "../../app/telephony/numbers.server";
import { emailTexts } from "../../app/utils/email-texts";
import { mailerFrom } from "../../app/utils/mail-transports.server";
import { appUrlOf } from "../../core/config";

/** The API's services as the portal's server builds them, with a throwaway recording folder and mail outbox. */
export function testApiServices(t: Telephony, opts: { outbox?: string; recordingsDir?: string } = {}): ApiServices {
  const outbox = opts.outbox ?? join(tmpdir(), `bvrai-api-mail-${crypto.randomUUID()}`);
  return {
    db: t.db,
    pii: t.pii,
    telephony: t,
    webhooks: { allowPrivate: false, production: false },
    recordings: folderStore(opts.recordingsDir ?? join(tmpdir(), `bvrai-api-recordings-${crypto.randomUUID()}`)),
    mail: {
      ...mailerFrom({ MAIL_TRANSPORT: "outbox", MAIL_OUTBOX_DIR: outbox, MAIL_FROM: "BVRAI <no-reply@bvrai.test>" }),
      texts: emailTexts(appUrlOf({ APP_URL: "https://app.bvrai.test" })),
    },
  };
}
