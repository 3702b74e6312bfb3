/**
 * The worker's protocol: commands (main thread → worker), events (worker → main thread), and the
 * validation every command passes on arrival, so an ill-formed message gets an error reply
 * instead of killing the worker.
 */
export * from './commands';
export * from './events';
export * from './validation';
