#!/usr/bin/env node
// The installed entry point: nothing but a hand-off, so start-up stays small.
import { main } from './main.js';

void main();
