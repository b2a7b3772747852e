export {
  type Db,
  type Durability,
  durabilitySchema,
  inTransaction,
  latestSchemaVersion,
  type OpenDatabaseOptions,
  openDatabase,
  rollbackCount,
  schemaVersion,
} from './database.js';
export { type HomePaths, resolveHome } from './home.js';
export { preparedOnce } from './prepared.js';
