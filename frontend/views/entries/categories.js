// The four picklists, in the order they are shown, with their titles and field labels.

export const CATEGORIES = [
  { value: "REASON", title: "Reasons", label: "Reason" },
  { value: "CAUSE", title: "Causes", label: "Cause" },
  { value: "RESOLUTION", title: "Resolutions", label: "Resolution" },
  { value: "CREDIT_REASON", title: "Credit Reasons", label: "Credit Reason" },
];

export const NAME_MAX_LENGTH = 100;
export const DESCRIPTION_MAX_LENGTH = 500;

export function categoryOf(value) {
  return CATEGORIES.find((category) => category.value === value);
}
