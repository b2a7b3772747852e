export { type BrowserConfig, browserBackends, browserConfigSchema } from './browser-config.js';
export { type BrowserToolOptions, browserTools } from './browser-tools.js';
