// All scenario groups of the differential suite, one file per area.
import type { Scenario } from "../scenario.ts";
import { COPY_ADD } from "./copy-add.ts";
import { RUN } from "./run.ts";
import { ARGS_STAGES } from "./args-stages.ts";
import { IMAGE_CONFIG } from "./image-config.ts";
import { PARSING } from "./parsing.ts";
import { REMOTE } from "./remote.ts";
import { FEATURES } from "./features.ts";

export interface ScenarioGroup {
  name: string;
  scenarios: Scenario[];
}

export const ALL_GROUPS: ScenarioGroup[] = [
  { name: "COPY and ADD", scenarios: COPY_ADD },
  { name: "image config", scenarios: IMAGE_CONFIG },
  { name: "parsing and bad input", scenarios: PARSING },
  { name: "RUN", scenarios: RUN },
  { name: "ARG, ENV and stages", scenarios: ARGS_STAGES },
  { name: "remote sources", scenarios: REMOTE },
  { name: "engine features and platforms", scenarios: FEATURES },
];
