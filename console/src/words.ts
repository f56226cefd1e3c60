// What the console calls things: status names, grant types and the field explanations of the OAuth 2.0 guide (shared/seeds).
import { GRANT_TYPES, STATUSES, type GrantType, type Status } from '../../workflows/model';

export { GRANT_TYPES, STATUSES };
export type { GrantType, Status };

export const STATUS_LABEL: Record<Status, string> = {
  validating: 'validating',
  active: 'active',
  degraded: 'degraded',
  awaiting_consent: 'awaiting consent',
  disconnected: 'disconnected',
  revoked: 'revoked',
};

/** One sentence per status: what it means and what, if anything, a person should do. */
export const STATUS_MEANING: Record<Status, string> = {
  validating: 'Steward is obtaining the first token from the Provider.',
  active: 'Tokens are valid and renewed automatically before they expire.',
  degraded: 'Renewing the token keeps failing for a reason that may pass (network, timeouts, Provider errors). Steward keeps retrying; services get the current token while it is still valid.',
  awaiting_consent: 'A person must authorize the Marketplace at the Provider before tokens can be obtained.',
  disconnected: 'The Provider rejected the client credentials. Update them to reconnect.',
  revoked: 'Access was revoked: no tokens are served or renewed. Configuration and history remain.',
};

export const GRANT_LABEL: Record<GrantType, string> = {
  client_credentials: 'Client Credentials',
  authorization_code: 'Authorization Code',
  refresh_token: 'Refresh Token',
  jwt_bearer: 'JWT Bearer',
};

/** The guide's "Usage" line for each grant type, in the guide's order. */
export const GRANT_USAGE: Record<GrantType, string> = {
  client_credentials: 'Ideal for server-to-server integrations where there is no direct interaction with the Provider’s end-user.',
  authorization_code: 'Necessary when the integration requires explicit authorization from an end-user to access data (Example: Sign in with Google/Azure AD).',
  refresh_token: 'Allows the Marketplace to request a new Access Token using a long-lived Refresh Token, minimizing the need for re-authorization.',
  jwt_bearer: 'For service accounts (Google, Salesforce JWT flow): each token is obtained with an assertion signed by the integration’s private key; no end-user and no refresh token.',
};

/** Short names for compact places (the connector tiles). */
export const GRANT_SHORT: Record<GrantType, string> = {
  client_credentials: 'Client credentials',
  authorization_code: 'Auth code',
  refresh_token: 'Refresh token',
  jwt_bearer: 'JWT bearer',
};

export const GRANT_ORDER: GrantType[] = ['client_credentials', 'authorization_code', 'refresh_token', 'jwt_bearer'];

export const AUTH_METHOD_LABEL = {
  client_secret_basic: 'HTTP Basic (client_secret_basic)',
  client_secret_post: 'In the request body (client_secret_post)',
  private_key_jwt: 'Signed with a private key (private_key_jwt)',
  none: 'The signed grant assertion (JWT bearer)',
} as const;

/** The field table of the guide, plus the fields Steward adds (revocation URL, token auth method). */
export const FIELD_HELP = {
  label: 'A friendly name to identify this integration in the Marketplace (Example: “Salesforce Production Integration”).',
  grantType: 'The OAuth 2.0 flow you wish to use (Client Credentials, Authorization Code, Refresh Token).',
  tokenUrl: 'The address (endpoint) of your Provider where the Marketplace will request tokens.',
  clientId: 'The public identifier provided by your Service Provider.',
  clientSecret: 'The secret key provided by your Provider. This is confidential and must be kept secret. It is stored encrypted in the secure credential vault and never shown again.',
  scope: '(Optional) Defines the specific permissions the Marketplace should have (Example: read, write, api_access).',
  scopeRequired: 'Defines the specific permissions the Marketplace should have (Example: read, write, api_access).',
  apiBaseUrl: 'The main address for accessing the Provider’s resources after obtaining the token.',
  tenantId: '(Optional) Unique identifier that represents a customer.',
  authorizationUrl: 'The address where the user will be redirected to grant permission.',
  redirectUri: 'The Marketplace address where the Provider must send the code back after authorization. Important: it must be registered and allowed in your Service Provider’s API configuration.',
  refreshToken: 'A long-lived Refresh Token obtained from a previous authorization. It is stored encrypted in the secure credential vault and never shown again.',
  revocationUrl: '(Optional) Your Provider’s token revocation endpoint. When set, revoking this integration also revokes its tokens at the Provider.',
  tokenAuthMethod: 'How the Marketplace proves it is this client at the Token URL: with the Client Secret, or with a private key whose public key your Provider registered. Keep the default unless your Provider registered this client for another method.',
  privateKey: 'The private key whose public key is registered at your Provider (PEM, or a JSON Web Key): RSA of at least 2048 bits, or EC P-256. It is stored encrypted in the secure credential vault and never shown again.',
  clientKeyId: '(Optional) The key ID (kid) your Provider registered the public key under.',
  assertionSubject: '(Optional) Who the tokens act for: the user a Google service account impersonates (domain-wide delegation), or the Salesforce username. Empty: the Client ID itself.',
  assertionAudience: '(Optional) Who the assertion is addressed to, when the Provider names other than its Token URL (Salesforce: https://login.salesforce.com, or https://test.salesforce.com for sandboxes).',
  certificate: '(Optional) The X.509 certificate registered at your Provider (PEM), for Providers that identify the key by its thumbprint, such as Microsoft Entra ID.',
  issuer: 'For Providers that publish OAuth 2.0 or OpenID Connect discovery metadata: the Marketplace discovers the Token, Authorization and Revocation URLs from it, and checks the issuer.',
} as const;

export type FieldName = Exclude<keyof typeof FIELD_HELP, 'scopeRequired'>;
