// The GraphQL documents of the customer pages.

import { ME } from "../../lib/session.js";
import { CASE_DETAIL, CUSTOMER, ENTRY, USER } from "../cases/operations.js";

const CUSTOMER_RESULT = `
  __typename
  ... on Customer { ${CUSTOMER} }
  ... on ValidationError { message field }
  ... on NotFoundError { message id }
  ... on CustomerConflictError { message current { ${CUSTOMER} } }`;

const LIST_FIELDS = `
  totalCount
  pageInfo { hasNextPage endCursor }
  nodes { ${CUSTOMER} openCase { id status riskLevel } }`;

export const CUSTOMERS = `
  query Customers($search: String, $status: CustomerStatus, $after: String) {
    ${ME}
    customers(search: $search, status: $status, first: 50, after: $after) { ${LIST_FIELDS} }
  }`;

export const MORE_CUSTOMERS = `
  query MoreCustomers($search: String, $status: CustomerStatus, $after: String) {
    customers(search: $search, status: $status, first: 50, after: $after) { ${LIST_FIELDS} }
  }`;

export const CUSTOMER_PAGE = `
  query CustomerPage($id: ID!) {
    ${ME}
    users { ${USER} }
    atRiskEntries { ${ENTRY} }
    customer(id: $id) {
      ${CUSTOMER} createdAt updatedAt
      cases { ${CASE_DETAIL} }
    }
  }`;

export const CREATE_CUSTOMER = `
  mutation CreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) { ${CUSTOMER_RESULT} }
  }`;

export const UPDATE_CUSTOMER = `
  mutation UpdateCustomer($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) { ${CUSTOMER_RESULT} }
  }`;
