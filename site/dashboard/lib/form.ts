/**
 * Form state of the dashboard pages: the submitted values and the errors of the API, per field,
 * in the shape the form components render (message next to the field, summary at the top).
 */
import type { ApiErrorBody } from "./api.ts";

export interface FieldError {
  /** Form field name; the summary links to the element with id `field-<name>`. */
  field: string;
  message: string;
}

export interface FormState {
  values: Record<string, string>;
  /** Errors without a field, shown in the summary only. */
  general: string[];
  fields: FieldError[];
}

export function emptyForm(values: Record<string, string> = {}): FormState {
  return { values, general: [], fields: [] };
}

/** Reads a submitted form's text fields; files and repeated names keep the first value. */
export async function readForm(request: Request): Promise<Record<string, string>> {
  return formValues(await request.formData());
}

/** Text fields of form data; repeated names keep the first value. */
export function formValues(data: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of data) {
    if (typeof value === "string" && !(name in values)) values[name] = value;
  }
  return values;
}

/**
 * Maps an API error onto the form: an issue whose path starts with a name in `fieldMap` goes to
 * that form field, every other issue and the message go to the summary.
 */
export function formErrors(
  values: Record<string, string>,
  error: ApiErrorBody,
  fieldMap: Record<string, string> = {},
): FormState {
  const state = emptyForm(values);
  for (const issue of error.issues ?? []) {
    const key = String(issue.path[0] ?? "");
    const field = fieldMap[key] ?? (key in values ? key : undefined);
    if (field) state.fields.push({ field, message: issue.message });
    else state.general.push(issue.message);
  }
  if (state.fields.length === 0 && state.general.length === 0) state.general.push(error.message);
  return state;
}

/** Adds an error of one field, for checks the page makes before calling the API. */
export function fieldError(state: FormState, field: string, message: string): FormState {
  state.fields.push({ field, message });
  return state;
}

export function errorOf(state: FormState, field: string): string | undefined {
  return state.fields.find((error) => error.field === field)?.message;
}

export function hasErrors(state: FormState): boolean {
  return state.general.length > 0 || state.fields.length > 0;
}
