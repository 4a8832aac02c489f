// The GraphQL documents of the work queue and of a customer's cases.

import { ME } from "../../lib/session.js";

export const USER = "id email name role active";
export const ENTRY = "id category name active";
export const CUSTOMER = "id accountNumber name email phone rmr status version";

export const CASE = `id status riskLevel reportedAt followUpAt rmrAtRisk rmrRetained notes closedAt
  daysOpen version
  customer { id name accountNumber rmr status }
  reason { ${ENTRY} } cause { ${ENTRY} } resolution { ${ENTRY} }
  reportedBy { ${USER} } assignedTo { ${USER} } savedBy { ${USER} }`;

export const CASE_DETAIL = `${CASE}
  attempts { id channel note at by { ${USER} } }
  credits { id amount note at creditReason { ${ENTRY} } by { ${USER} } }`;

export const CASE_RESULT = `
  __typename
  ... on AtRiskCase { ${CASE_DETAIL} }
  ... on ValidationError { message field }
  ... on NotFoundError { message id }
  ... on CaseConflictError { message current { ${CASE_DETAIL} } }
  ... on OpenCaseExistsError { message openCase { id customer { id name } } }`;

// A page of the queue holds 50 cases; a live reload reads again as many as were shown, up to
// the server's largest page.
export const QUEUE_PAGE = 50;
export const QUEUE_PAGE_MAX = 200;

export const QUEUE = `
  query WorkQueue($filter: AtRiskCaseFilter, $orderBy: AtRiskCaseOrder, $first: Int = 50, $after: String) {
    ${ME}
    users { ${USER} }
    atRiskEntries { ${ENTRY} }
    atRiskCases(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ${CASE} }
    }
  }`;

export const MORE_CASES = `
  query MoreCases($filter: AtRiskCaseFilter, $orderBy: AtRiskCaseOrder, $after: String) {
    atRiskCases(filter: $filter, orderBy: $orderBy, first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ${CASE} }
    }
  }`;

export const FIND_CUSTOMERS = `
  query FindCustomers($search: String) {
    customers(search: $search, status: ACTIVE, first: 8) {
      nodes { ${CUSTOMER} openCase { id } }
    }
  }`;

export const FLAG = `
  mutation FlagCustomerAtRisk($input: FlagCustomerAtRiskInput!) {
    flagCustomerAtRisk(input: $input) { ${CASE_RESULT} }
  }`;

export const UPDATE_CASE = `
  mutation UpdateAtRiskCase($input: UpdateAtRiskCaseInput!) {
    updateAtRiskCase(input: $input) { ${CASE_RESULT} }
  }`;

export const ADD_ATTEMPT = `
  mutation AddContactAttempt($input: AddContactAttemptInput!) {
    addContactAttempt(input: $input) { ${CASE_RESULT} }
  }`;

export const ADD_CREDIT = `
  mutation AddCredit($input: AddCreditInput!) {
    addCredit(input: $input) { ${CASE_RESULT} }
  }`;

export const CLOSE_CASE = `
  mutation CloseAtRiskCase($input: CloseAtRiskCaseInput!) {
    closeAtRiskCase(input: $input) { ${CASE_RESULT} }
  }`;

export const REOPEN_CASE = `
  mutation ReopenAtRiskCase($input: ReopenAtRiskCaseInput!) {
    reopenAtRiskCase(input: $input) { ${CASE_RESULT} }
  }`;
