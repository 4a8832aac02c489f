// The GraphQL documents the page sends, by operation name.

const ENTRY = "id category name active position version";

const ENTRY_RESULT = `
  __typename
  ... on AtRiskEntry { ${ENTRY} }
  ... on ValidationError { message field }
  ... on NotFoundError { message id }
  ... on VersionConflictError { message current { ${ENTRY} } }`;

export const documents = {
  AtRiskEntries: `
    query AtRiskEntries {
      me { email role company { name } }
      atRiskEntries { ${ENTRY} }
    }`,

  AddAtRiskEntry: `
    mutation AddAtRiskEntry($input: AddAtRiskEntryInput!) {
      addAtRiskEntry(input: $input) { ${ENTRY_RESULT} }
    }`,

  UpdateAtRiskEntry: `
    mutation UpdateAtRiskEntry($input: UpdateAtRiskEntryInput!) {
      updateAtRiskEntry(input: $input) { ${ENTRY_RESULT} }
    }`,

  DeleteAtRiskEntry: `
    mutation DeleteAtRiskEntry($id: ID!) {
      deleteAtRiskEntry(id: $id) {
        __typename
        ... on DeletedAtRiskEntry { id }
        ... on NotFoundError { message id }
      }
    }`,
};
