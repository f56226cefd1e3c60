// Patch ids of workflow code changes (README, "Changing workflow code safely"): each stays until its retirement steps are done.

/** Issue 16: the lifecycle loop refreshes because its timer fired, as history records, not because the clock says it is due. */
export const LOOP_DECIDES_FROM_HISTORY = 'loop-decides-from-history';

/** Issue 16 §3: an integration still `active` when its token expires with the next attempt later moves to `degraded` on its own timer. */
export const DEGRADE_AT_TOKEN_EXPIRY = 'degrade-at-token-expiry';

/** Issue 9 §1: every field that decides where the secret goes (revocationUrl too) re-validates and records an event. */
export const BOUND_FIELDS_REVALIDATE = 'bound-fields-revalidate';

/** Issue 9 §2: a webhook delivery's unsubscribe signal must name a principal (an argument-less one is ignored). */
export const UNSUBSCRIBE_NEEDS_PRINCIPAL = 'unsubscribe-needs-principal';
