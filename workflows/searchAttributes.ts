// Custom search attributes operators filter on in the Temporal UI (registered when the dev server starts).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const IntegrationStatus = defineSearchAttributeKey('IntegrationStatus', SearchAttributeType.KEYWORD);
export const TenantId = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const TokenExpiresAt = defineSearchAttributeKey('TokenExpiresAt', SearchAttributeType.DATETIME);
