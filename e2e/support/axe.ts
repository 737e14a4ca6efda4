import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Runs axe on the page and expects no serious or critical violation. Legacy mode runs `axe.run`
 * in the page itself: the default mode finishes every analysis in a fresh blank page to merge
 * cross-origin frames, which Kinetic's pages do not have, and costs three times as long here
 * (about 4 s against 1.4 s a page on this machine, unloaded). Only violations are collected.
 */
export async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .options({ resultTypes: ['violations'] })
    .analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${where}: ${violation.id} (${violation.nodes.length})`);
  expect(serious).toEqual([]);
}
