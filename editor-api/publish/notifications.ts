/**
 * The e-mails of the editorial flow, as data. For an event and its recipients, `messagesFor`
 * returns one message per recipient, so no recipient gets another person's address. Sending
 * belongs to the mail transport. Messages are plain text in English.
 */

/** The project an event concerns, with the links a message offers. */
export interface ProjectRef {
  id: string;
  title: string;
  /** The public card in the catalogue. */
  publicUrl: string;
  /** The card in the editing dashboard. */
  dashboardUrl: string;
}

export type NotificationEvent =
  /** The card is online and its beneficiaries can enrich it. */
  | { type: "card-published"; project: ProjectRef; to: readonly string[] }
  /** The end date has come, so the final results can be submitted. */
  | { type: "submission-open"; project: ProjectRef; to: readonly string[]; opensOn: string }
  /** A beneficiary submitted the card: officers review it, the submitter gets a receipt. */
  | {
      type: "submission-received";
      project: ProjectRef;
      submitter: string;
      officers: readonly string[];
    }
  | { type: "returned"; project: ProjectRef; to: readonly string[]; comment: string }
  | {
      type: "approved";
      project: ProjectRef;
      to: readonly string[];
      publishedResults: readonly string[];
      goodPractice: boolean;
      successStory: boolean;
    }
  /** A site rebuild failed: helpdesk checks the build log. */
  | {
      type: "rebuild-failed";
      to: readonly string[];
      jobId: number;
      reason: string;
      attempts: number;
      error: string;
      retryAt?: string;
    };

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

const MAX_TITLE_IN_SUBJECT = 80;

/** Returns the messages to send for one event, one per distinct recipient. */
export function messagesFor(event: NotificationEvent): EmailMessage[] {
  if (event.type === "rebuild-failed") return rebuildFailed(event);
  const { project } = event;
  const name = subjectName(project);
  switch (event.type) {
    case "card-published":
      return each(event.to, `Your project card is online: ${name}`, [
        `The card of project ${project.id}, "${project.title}", is now published in the project results catalogue:`,
        project.publicUrl,
        "As a contact person of the project you can enrich it with a logo, a website and the project's results. Sign in with this e-mail address to edit it:",
        project.dashboardUrl,
      ]);

    case "submission-open":
      return each(event.to, `Final results can now be submitted: ${name}`, [
        `Project ${project.id}, "${project.title}", ended on ${event.opensOn}.`,
        "You can now add its final results and submit the card for validation by the agency:",
        project.dashboardUrl,
        "The card can be changed for two years after the end date.",
      ]);

    case "submission-received":
      return [
        ...each(event.officers, `Submission to review: ${name}`, [
          `The beneficiaries of project ${project.id}, "${project.title}", submitted its card for validation.`,
          "Review it, then approve it or return it with your comments:",
          project.dashboardUrl,
        ]),
        ...each([event.submitter], `Submission received: ${name}`, [
          `We received the card of project ${project.id}, "${project.title}", for validation.`,
          "It is under review and cannot be edited until the agency approves it or returns it to you. You will receive an e-mail either way.",
        ]),
      ];

    case "returned":
      return each(event.to, `Changes requested: ${name}`, [
        `The agency returned the card of project ${project.id}, "${project.title}", with these comments:`,
        quote(event.comment),
        "Make the changes and submit the card again:",
        project.dashboardUrl,
      ]);

    case "approved":
      return each(event.to, `Card approved and published: ${name}`, [
        `The agency approved the card of project ${project.id}, "${project.title}".`,
        publishedText(event.publishedResults),
        ...labelText(event.goodPractice, event.successStory),
        "The public card:",
        project.publicUrl,
      ]);
  }
}

function rebuildFailed(event: NotificationEvent & { type: "rebuild-failed" }): EmailMessage[] {
  const next = event.retryAt
    ? `The queue retries it at ${event.retryAt}.`
    : "No attempt is left: fix the cause, then request a rebuild again.";
  return each(event.to, `Site rebuild ${event.jobId} failed (attempt ${event.attempts})`, [
    `Rebuild job ${event.jobId} (${event.reason}) failed on attempt ${event.attempts}:`,
    quote(event.error),
    `The published site still shows the previous build. ${next}`,
  ]);
}

/** Builds one message per distinct address, compared without case. */
function each(to: readonly string[], subject: string, paragraphs: string[]): EmailMessage[] {
  const seen = new Set<string>();
  const messages: EmailMessage[] = [];
  for (const address of to) {
    const trimmed = address.trim();
    const key = trimmed.toLowerCase();
    if (trimmed === "" || seen.has(key)) continue;
    seen.add(key);
    messages.push({ to: trimmed, subject, text: `${paragraphs.join("\n\n")}\n` });
  }
  return messages;
}

/** Project id and title for a subject: one line, the title shortened. */
function subjectName(project: ProjectRef): string {
  const title = project.title.replace(/[\r\n\t]+/g, " ").trim();
  const short =
    [...title].length > MAX_TITLE_IN_SUBJECT
      ? `${[...title].slice(0, MAX_TITLE_IN_SUBJECT - 1).join("")}…`
      : title;
  return `${project.id.replace(/[\r\n]+/g, " ")} ${short}`;
}

function quote(comment: string): string {
  return comment
    .trim()
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join("\n");
}

function publishedText(results: readonly string[]): string {
  if (results.length === 0) return "No result was chosen for publication.";
  return `Published results:\n${results.map((title) => `- ${title}`).join("\n")}`;
}

function labelText(goodPractice: boolean, successStory: boolean): string[] {
  if (successStory) return ["The project was selected as a success story and a good practice."];
  if (goodPractice) return ["The project was selected as a good practice."];
  return [];
}
