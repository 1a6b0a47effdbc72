/** `keratorch plan`: plans one expert path's start-goal pair and draws the plan with its maps. */
import { writeFileAtomic } from '../io/atomic';
import { domainObstacles } from '../vin/data/dataset';
import { renderPlanPicture } from '../vin/picture';
import { loadPlanner } from '../vin/planner';
import { MAX_PLAN_K, PlanK } from '../vin/planning';
import { checkOutputPath, intOption, OptionSpec, parseOptions, UsageError } from './args';
import { loadAnyDataset } from './data-files';

export const planOptions: OptionSpec = {
  model: { type: 'string', required: true, help: 'folder of a saved VIN' },
  data: { type: 'string', required: true, help: '.npz or *_test.mat with expert paths' },
  index: { type: 'string', help: 'which expert path (default 0)' },
  png: { type: 'string', help: 'write a picture of the plan here' },
  k: { type: 'string', help: `value-iteration steps, 1..${MAX_PLAN_K}, or auto (default: the model's k)` },
};

/** `--k`: an integer step count or `auto`; undefined for the model's own k. */
export function kOption(command: string, value: unknown): PlanK | undefined {
  if (value === undefined || value === 'auto') return value;
  return intOption(command, 'k', value, 0, 1, MAX_PLAN_K);
}

const ENDINGS = {
  reached: 'reached the goal',
  loop: 'did NOT reach the goal: back at a cell it had visited',
  maxSteps: 'did NOT reach the goal within twice the expert\'s steps',
  blocked: 'did NOT reach the goal: its next move was into an obstacle or off the map',
};

/** Runs `keratorch plan`. */
export function plan(argv: string[]): void {
  const o = parseOptions('plan', argv, planOptions);
  const png = o.png === undefined ? undefined : checkOutputPath('plan', 'png', o.png as string, 'file');
  const data = loadAnyDataset('plan', o.data as string);
  if (data.pathDomain.length === 0) {
    throw new UsageError(`keratorch plan: ${o.data} has no expert paths (a training file?): use a *_test.mat or generated .npz`);
  }
  const index = intOption('plan', 'index', o.index, 0, 0, data.pathDomain.length - 1);
  const planner = loadPlanner(o.model as string);
  if (planner.gridSize !== data.gridSize) {
    throw new UsageError(`keratorch plan: the model plans on ${planner.gridSize}x${planner.gridSize} maps but ${o.data} ` +
      `holds ${data.gridSize}x${data.gridSize} maps`);
  }
  const domain = data.pathDomain[index];
  const n = data.gridSize;
  const obstacles = domainObstacles(data, domain);
  const expert: [number, number][] = [];
  for (let c = data.pathOffsets[index]; c < data.pathOffsets[index + 1]; c++) expert.push([data.pathCells[2 * c], data.pathCells[2 * c + 1]]);
  const goal: [number, number] = [data.goals[2 * domain], data.goals[2 * domain + 1]];
  const request = { obstacles, goal, start: expert[0], maxSteps: 2 * (expert.length - 1), k: kOption('plan', o.k) };
  const result = planner.plan(request);
  console.log(`path ${index} on map ${domain}: start [${expert[0]}] goal [${goal}]`);
  console.log(`planned (${result.path.length - 1} steps, k ${result.k}, ${ENDINGS[result.ended]}): ` +
    result.path.map((c) => `[${c}]`).join(' '));
  console.log(`expert  (${expert.length - 1} steps): ${expert.map((c) => `[${c}]`).join(' ')}`);
  if (png !== undefined) {
    const picture = renderPlanPicture({
      obstacles, gridSize: n, start: expert[0], goal, plannedPath: result.path, expertPath: expert,
      reward: planner.rewardMap({ obstacles, goal }).flat(), value: planner.valueMap({ obstacles, goal, k: result.k }).flat(),
      title: `${n}x${n} map ${domain}, path ${index}`, reached: result.reached,
    });
    writeFileAtomic('plan --png', png, [picture]);
    console.log(`picture: ${png}`);
  }
  planner.dispose();
}
