// The provider as a library entry (dist/provider.js): start "Mock Google" in your own process,
// as the demo, the tutorial, the tests and the benchmarks do.
export { startProvider, type KeysReport, type ProviderOptions, type RunningProvider, type RequestEvent } from '../provider/server.js';
export { DEFAULT_CLIENTS, DEFAULT_USERS, type Client, type User } from '../provider/directory.js';
