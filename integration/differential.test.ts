/**
 * The differential suite: every scenario in differential/scenarios/ built by
 * the engine's built-in Dockerfile frontend and by cachefront, comparing
 * exported file trees and image configs (or, for bad input, that both fail
 * and cachefront points at the line). Scenarios run a few at a time; each
 * builds its two sides in parallel.
 */
import { afterAll, describe, expect, test } from "vitest";
import { requireImage, tempDirs } from "./harness/index.ts";
import { runScenario, type Scenario } from "./differential/scenario.ts";
import { ALL_GROUPS } from "./differential/scenarios/index.ts";
import { closeRemoteFixtures } from "./differential/scenarios/remote.ts";

describe.concurrent("differential: built-in frontend vs cachefront", () => {
  const temps = tempDirs();
  afterAll(async () => {
    closeRemoteFixtures();
    await temps.cleanup();
  });

  test("the suite has at least 80 scenarios with unique names", () => {
    const names = ALL_GROUPS.flatMap((g) => g.scenarios.map((s) => `${g.name}: ${s.name}`));
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(80);
  });

  for (const group of ALL_GROUPS) {
    describe(group.name, () => {
      test.for(group.scenarios.map((s): [string, Scenario] => [s.name, s]))("%s", async ([, s], t) => {
        requireImage(t);
        await runScenario(s, temps);
      });
    });
  }
});
