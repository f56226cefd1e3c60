// Patch ids of workflow code changes (README, "Changing workflow code safely"): each stays until its retirement steps are done.

/** Issue 16: the lifecycle loop refreshes because its timer fired, as history records, not because the clock says it is due. */
export const LOOP_DECIDES_FROM_HISTORY = 'loop-decides-from-history';
