export { ContentError } from './errors';
export {
  loadLabs,
  parseLabDefinition,
  LabDefinitionSchema,
  type LabDefinition,
  type LabStep,
} from './lab-definition';
export * from './checks';
