export { loadConfig } from './load.js';
export { ConfigSchema, type Config } from './schema.js';
