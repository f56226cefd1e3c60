// Entry point of the workflow bundle: every workflow the worker runs.
export { integrationWorkflow } from './integration';
export { webhookDeliveryWorkflow } from './delivery';
