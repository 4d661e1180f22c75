/**
 * What course/ needs of the grader to read lab.yaml: the check schema built from the registered kinds
 * and the kinds' descriptions. Nothing here runs a check.
 */
export { CheckSchema, checkKinds, type Check } from './check-registry';
export { CheckTimingFields, type CheckKind } from './kinds/kind';
