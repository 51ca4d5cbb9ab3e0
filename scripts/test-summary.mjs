// Prints vitest's JSON report as the one closing line CI reads: "N passed, N failed[, N skipped]".
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? 'test-results/vitest.json';
try {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
  console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
} catch {
  console.log('0 passed, 1 failed');
  console.error(`No test report at ${path}: the tests did not run (see the output above).`);
}
