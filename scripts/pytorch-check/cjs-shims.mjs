/**
 * tfjs's ES modules read CommonJS packages through `import * as x`, whose properties Vite's
 * module runner cannot see (they are assigned at run time): these shims hand them over as named
 * exports. Used only by the export check (check-pytorch-export.mjs).
 */
const require = globalThis.require;
const seedrandom = require('seedrandom');
export const alea = seedrandom.alea;
export const xor128 = seedrandom.xor128;
export const xorwow = seedrandom.xorwow;
export const xorshift7 = seedrandom.xorshift7;
export const xor4096 = seedrandom.xor4096;
export const tychei = seedrandom.tychei;
export default seedrandom;
