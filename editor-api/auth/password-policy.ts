/** Rules a new password must follow, beyond its length (see accounts/fields.ts). */

import type { Issue } from "../http/errors.ts";
import { isCommonPassword } from "./common-passwords.ts";

export type PasswordOwner = { username: string; email: string };

/** Returns the reasons `password` is rejected for this owner; empty when it is acceptable. */
export function checkPasswordPolicy(
  password: string,
  owner: PasswordOwner,
  path: (string | number)[] = ["password"],
): Issue[] {
  const issues: Issue[] = [];
  const lower = password.toLowerCase();
  if (isCommonPassword(password)) {
    issues.push({
      path,
      code: "common_password",
      message: "Password is in the list of common passwords; choose a longer, unusual phrase.",
    });
  }
  if (owner.username && lower.includes(owner.username.toLowerCase())) {
    issues.push({ path, code: "contains_username", message: "Password contains the username." });
  }
  const email = owner.email.toLowerCase();
  const localPart = email.split("@")[0] ?? "";
  if (email && (lower.includes(email) || (localPart.length >= 3 && lower.includes(localPart)))) {
    issues.push({
      path,
      code: "contains_email",
      message: "Password contains the e-mail address or its part before @.",
    });
  }
  return issues;
}
