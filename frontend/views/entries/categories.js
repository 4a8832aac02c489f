// The four picklists, in the order they are shown, with their titles and field labels.

export const CATEGORIES = [
  { value: "REASON", title: "Reasons", label: "Reason", uses: ["case", "cases"] },
  { value: "CAUSE", title: "Causes", label: "Cause", uses: ["case", "cases"] },
  { value: "RESOLUTION", title: "Resolutions", label: "Resolution", uses: ["case", "cases"] },
  { value: "CREDIT_REASON", title: "Credit Reasons", label: "Credit Reason", uses: ["credit", "credits"] },
];

/** "Used by 3 cases" (or credits, for credit reasons). */
export function usedBy(category, count) {
  const [one, many] = category.uses;
  return `Used by ${count} ${count === 1 ? one : many}`;
}

export const NAME_MAX_LENGTH = 100;
export const DESCRIPTION_MAX_LENGTH = 500;

export function categoryOf(value) {
  return CATEGORIES.find((category) => category.value === value);
}
