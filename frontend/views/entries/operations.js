// The GraphQL documents of the At-Risk Entries page.

import { ME } from "../../lib/session.js";

const ENTRY = "id category name description active position version usageCount";

const ENTRY_RESULT = `
  __typename
  ... on AtRiskEntry { ${ENTRY} }
  ... on ValidationError { message field }
  ... on NotFoundError { message id }
  ... on VersionConflictError { message current { ${ENTRY} } }`;

export const LIST = `
  query AtRiskEntries {
    ${ME}
    atRiskEntries { ${ENTRY} }
  }`;

export const ADD = `
  mutation AddAtRiskEntry($input: AddAtRiskEntryInput!) {
    addAtRiskEntry(input: $input) { ${ENTRY_RESULT} }
  }`;

export const UPDATE = `
  mutation UpdateAtRiskEntry($input: UpdateAtRiskEntryInput!) {
    updateAtRiskEntry(input: $input) { ${ENTRY_RESULT} }
  }`;

export const MOVE = `
  mutation MoveAtRiskEntry($input: MoveAtRiskEntryInput!) {
    moveAtRiskEntry(input: $input) { ${ENTRY_RESULT} }
  }`;

export const SORT = `
  mutation SortAtRiskEntries($category: AtRiskCategory!) {
    sortAtRiskEntries(category: $category) { ${ENTRY} }
  }`;

export const DELETE = `
  mutation DeleteAtRiskEntry($id: ID!, $expectedVersion: Int, $replaceWith: ID) {
    deleteAtRiskEntry(id: $id, expectedVersion: $expectedVersion, replaceWith: $replaceWith) {
      __typename
      ... on DeletedAtRiskEntry { id }
      ... on NotFoundError { message id }
      ... on VersionConflictError { message current { ${ENTRY} } }
      ... on EntryInUseError { message usageCount }
    }
  }`;
