export { ContentError } from './errors';
export { loadLabs, parseLabDefinition, LabDefinitionSchema, type LabDefinition } from './lab-definition';
