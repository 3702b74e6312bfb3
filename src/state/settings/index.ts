/** The settings schema and everything read from it (defaults, checks, URL, worker configs, presets). */
export * from './schema';
export * from './values';
export * from './url';
export * from './configs';
export * from './presets';
