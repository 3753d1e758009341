import { describe, expect, it } from "vitest";
import { messagesFor, type ProjectRef } from "./notifications.ts";

const project: ProjectRef = {
  id: "EACEA-160778",
  title: "Bridging European stages",
  publicUrl: "https://results.example.org/projects/culture-2007-2013/eacea-160778/",
  dashboardUrl: "https://results.example.org/dashboard/cards/EACEA-160778",
};
const CONTACTS = ["giulia.ferraro@example.org", "marco.bellini@example.org"];

describe("messagesFor", () => {
  it("card published invites to enrich", () => {
    const messages = messagesFor({ type: "card-published", project, to: CONTACTS });
    expect(messages.map((message) => message.to)).toEqual(CONTACTS);
    expect(messages[0].subject).toBe(
      "Your project card is online: EACEA-160778 Bridging European stages",
    );
    expect(messages[0].text).toContain(project.publicUrl);
    expect(messages[0].text).toContain(project.dashboardUrl);
  });

  it("submission open names the end date", () => {
    const [message] = messagesFor({
      type: "submission-open",
      project,
      to: CONTACTS.slice(0, 1),
      opensOn: "2026-11-30",
    });
    expect(message.subject).toBe(
      "Final results can now be submitted: EACEA-160778 Bridging European stages",
    );
    expect(message.text).toContain("ended on 2026-11-30");
    expect(message.text).toContain(project.dashboardUrl);
  });

  it("submission received goes to officers and submitter", () => {
    const messages = messagesFor({
      type: "submission-received",
      project,
      submitter: "giulia.ferraro@example.org",
      officers: ["officer.one@example.org", "officer.two@example.org"],
    });
    expect(messages.map((message) => message.to)).toEqual([
      "officer.one@example.org",
      "officer.two@example.org",
      "giulia.ferraro@example.org",
    ]);
    expect(messages[0].subject).toMatch(/^Submission to review: /);
    expect(messages[2].subject).toMatch(/^Submission received: /);
    expect(messages[2].text).toContain("under review");
  });

  it("returned quotes the comments", () => {
    const [message] = messagesFor({
      type: "returned",
      project,
      to: CONTACTS,
      comment: "Add the final brochure.\nFix the website address.",
    });
    expect(message.subject).toBe("Changes requested: EACEA-160778 Bridging European stages");
    expect(message.text).toContain("> Add the final brochure.\n> Fix the website address.");
  });

  it("approved lists published results and labels", () => {
    const [message] = messagesFor({
      type: "approved",
      project,
      to: CONTACTS,
      publishedResults: ["Touring handbook", "Final conference video"],
      goodPractice: true,
      successStory: true,
    });
    expect(message.subject).toBe(
      "Card approved and published: EACEA-160778 Bridging European stages",
    );
    expect(message.text).toContain("- Touring handbook\n- Final conference video");
    expect(message.text).toContain("success story and a good practice");
  });

  it("approved without results says so", () => {
    const [message] = messagesFor({
      type: "approved",
      project,
      to: CONTACTS,
      publishedResults: [],
      goodPractice: false,
      successStory: false,
    });
    expect(message.text).toContain("No result was chosen for publication.");
    expect(message.text).not.toContain("good practice");
  });

  it("sends once per address", () => {
    const messages = messagesFor({
      type: "card-published",
      project,
      to: ["a@example.org", " A@example.org ", "", "b@example.org"],
    });
    expect(messages.map((message) => message.to)).toEqual(["a@example.org", "b@example.org"]);
  });

  it("keeps the subject on one line", () => {
    const [message] = messagesFor({
      type: "card-published",
      project: { ...project, title: `Line one\r\nBcc: x@example.org ${"long ".repeat(40)}` },
      to: ["a@example.org"],
    });
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect([...message.subject].length).toBeLessThanOrEqual(
      "Your project card is online: EACEA-160778 ".length + 80,
    );
    expect(message.subject.endsWith("…")).toBe(true);
  });

  it("rebuild failure reaches helpdesk", () => {
    const [retrying] = messagesFor({
      type: "rebuild-failed",
      to: ["helpdesk@example.org"],
      jobId: 12,
      reason: "publish EACEA-160778",
      attempts: 1,
      error: "astro build exited with code 1",
      retryAt: "2026-12-04T10:00:30.000Z",
    });
    expect(retrying.to).toBe("helpdesk@example.org");
    expect(retrying.subject).toBe("Site rebuild 12 failed (attempt 1)");
    expect(retrying.text).toContain("> astro build exited with code 1");
    expect(retrying.text).toContain("retries it at 2026-12-04T10:00:30.000Z");
    const [final] = messagesFor({
      type: "rebuild-failed",
      to: ["helpdesk@example.org"],
      jobId: 12,
      reason: "publish EACEA-160778",
      attempts: 4,
      error: "astro build exited with code 1",
    });
    expect(final.text).toContain("No attempt is left");
  });
});
