/** Hono environment shared by every editor API route: the injected services and the caller. */

import type { Logger } from "pino";
import type { Account } from "../accounts/account.ts";
import type { Session } from "../auth/sessions.ts";
import type { EditorConfig } from "../config.ts";
import type { Database } from "../db/database.ts";
import type { Mailer } from "../mail/mailer.ts";

/** Services injected into `createEditorApp`. */
export type EditorDeps = {
  db: Database;
  clock: () => Date;
  mailer: Mailer;
  logger: Logger;
  config: EditorConfig;
};

export type EditorEnv = {
  Variables: {
    deps: EditorDeps;
    /** Client IP used for rate limits: the socket peer, or `X-Forwarded-For` with TRUST_PROXY. */
    clientIp: string;
    /** The session of the request's cookie, when valid. */
    session: Session | undefined;
    account: Account | undefined;
  };
};
