// What a case's windows share: saving with the version shown and, when someone else
// changed the case meanwhile, saying what differs in words.

import { formatDate, formatMoney } from "../../lib/format.js";
import { RISK_NAMES, STATUS_NAMES, personName } from "../cases/words.js";

/** What differs between two versions of a case, in words. */
export function caseDifferences(before, now, me) {
  const { currency, timezone } = me.company;
  const lines = [];
  const same = (a, b) => (a ?? null) === (b ?? null);
  if (now.status !== before.status) lines.push(`It is now ${STATUS_NAMES[now.status].toLowerCase()}.`);
  if (now.riskLevel !== before.riskLevel) lines.push(`Risk is now ${RISK_NAMES[now.riskLevel].toLowerCase()}.`);
  if (now.reason.id !== before.reason.id) lines.push(`Reason is now “${now.reason.name}”.`);
  if (!same(now.cause?.id, before.cause?.id)) lines.push(now.cause ? `Cause is now “${now.cause.name}”.` : "Its cause was removed.");
  if (!same(now.assignedTo?.id, before.assignedTo?.id)) {
    lines.push(now.assignedTo ? `It is now assigned to ${personName(now.assignedTo)}.` : "It is now assigned to no one.");
  }
  if (!same(now.followUpAt, before.followUpAt)) {
    lines.push(now.followUpAt ? `Follow-up is now ${formatDate(now.followUpAt, timezone)}.` : "Its follow-up was removed.");
  }
  if (now.rmrAtRisk !== before.rmrAtRisk) lines.push(`RMR at risk is now ${formatMoney(now.rmrAtRisk, currency)}.`);
  if (!same(now.notes, before.notes)) lines.push(now.notes ? "Its notes changed." : "Its notes were removed.");
  if (now.attempts.length !== before.attempts.length) lines.push("A contact attempt was added.");
  if (now.credits.length !== before.credits.length) lines.push("A credit was added.");
  return lines.join(" ");
}
