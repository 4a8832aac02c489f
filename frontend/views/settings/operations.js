// The GraphQL documents of the Settings pages: people, API tokens, the company, and your
// own account.

import { ME } from "../../lib/session.js";

const USER = "id email name role active lastSignInAt";
const TOKEN = "id name role createdAt createdBy lastUsedAt revokedAt";
const COMPANY = "id name currency timezone";

export const WHO = `
  query Me {
    ${ME}
  }`;

export const USERS = `
  query SettingsUsers {
    ${ME}
    users { ${USER} }
  }`;

export const CREATE_USER = `
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreatedUser { password user { ${USER} } }
      ... on ValidationError { message field }
      ... on NotFoundError { message }
    }
  }`;

export const UPDATE_USER = `
  mutation UpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      __typename
      ... on User { ${USER} }
      ... on ValidationError { message field }
      ... on NotFoundError { message }
    }
  }`;

export const RESET_PASSWORD = `
  mutation ResetUserPassword($id: ID!) {
    resetUserPassword(id: $id) {
      __typename
      ... on CreatedUser { password user { ${USER} } }
      ... on ValidationError { message field }
      ... on NotFoundError { message }
    }
  }`;

export const TOKENS = `
  query SettingsTokens {
    ${ME}
    apiTokens { ${TOKEN} }
  }`;

export const CREATE_TOKEN = `
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreatedApiToken { token apiToken { ${TOKEN} } }
      ... on ValidationError { message field }
    }
  }`;

export const REVOKE_TOKEN = `
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      __typename
      ... on ApiToken { ${TOKEN} }
      ... on NotFoundError { message }
    }
  }`;


export const UPDATE_COMPANY = `
  mutation UpdateCompany($input: UpdateCompanyInput!) {
    updateCompany(input: $input) {
      __typename
      ... on Company { ${COMPANY} }
      ... on ValidationError { message field }
    }
  }`;

export const CHANGE_PASSWORD = `
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      __typename
      ... on SignedOut { sessions }
      ... on ValidationError { message field }
    }
  }`;

export const SIGN_OUT_EVERYWHERE = `
  mutation SignOutEverywhere {
    signOutEverywhere { sessions }
  }`;
