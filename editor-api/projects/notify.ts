/**
 * Sends the editorial flow's e-mails: the publish module composes them, the app's mailer
 * delivers them. A failed delivery is logged and never undoes the change it reports.
 */
import { cardRelativePath } from "../../pipeline/card/index.ts";
import type { EditorDeps } from "../http/context.ts";
import { messagesFor, type NotificationEvent, type ProjectRef } from "../publish/notifications.ts";
import type { IndexedProject } from "./project-index.ts";

/** Builds the links of a project for its messages: its public card and its dashboard editor. */
export function projectRef(publicUrl: URL, project: IndexedProject): ProjectRef {
  const page = cardRelativePath(project.programme, project.id).replace(/\.md$/, "/");
  return {
    id: project.id,
    title: project.title,
    publicUrl: new URL(`/${page}`, publicUrl).toString(),
    dashboardUrl: new URL(
      `/dashboard/projects/${encodeURIComponent(project.id)}/`,
      publicUrl,
    ).toString(),
  };
}

/** Sends every message of the event, one recipient at a time. */
export async function notify(deps: EditorDeps, event: NotificationEvent): Promise<void> {
  for (const message of messagesFor(event)) {
    try {
      await deps.mailer.send({ ...message, html: textToHtml(message.text) });
    } catch (error) {
      deps.logger.error({ err: error, event: event.type }, "notification not sent");
    }
  }
}

function textToHtml(text: string): string {
  const escaped = text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
  return escaped
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.replaceAll("\n", "<br>")}</p>`)
    .join("\n");
}
