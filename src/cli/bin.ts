#!/usr/bin/env node
// The installed entry point: turn on the code cache, then hand off, so start-up stays small.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeCacheFolder, useCodeCache } from './code-cache.js';

// Everything but this file loads after the cache is in place.
useCodeCache(dirname(fileURLToPath(import.meta.url)), codeCacheFolder(process.env));
void import('./main.js').then(({ main }) => main());
