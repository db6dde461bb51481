// SPDX-License-Identifier: GPL-2.0-only
/** Finding and reading scenario definitions under ci/scenarios/ (or in a directory given by path). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { usageError } from '../errors.js';
import { repoRoot } from '../paths.js';
import { parseScenario, type Scenario } from './scenario.js';

export const scenariosRoot = () => join(repoRoot(), 'ci', 'scenarios');

export interface LoadedScenario {
  scenario: Scenario;
  dir: string;
}

export function listScenarios(root = scenariosRoot()): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'scenario.json')))
    .map((d) => d.name)
    .sort();
}

/**
 * The scenarios of ROOT that `kseries ci` runs by default: all but those whose scenario.json
 * says "ciDefault": false. One that cannot be read stays in, so that the run reports it.
 */
export function ciDefaultScenarios(root = scenariosRoot()): string[] {
  return listScenarios(root).filter((name) => {
    try {
      return loadScenario(name, root).scenario.ciDefault;
    } catch {
      return true;
    }
  });
}

/** A --scenario value with a "/" is a scenario directory of its own (a bench's, a user's), not a name under ci/scenarios/. */
export const isScenarioPath = (arg: string) => arg.includes('/');

/**
 * Reads a scenario: ARG is a name under ROOT (ci/scenarios/), or, when it holds a "/", the
 * path of a scenario directory anywhere, named after its last component.
 */
export function loadScenario(arg: string, root = scenariosRoot()): LoadedScenario {
  const dir = isScenarioPath(arg) ? resolve(arg) : join(root, arg);
  const name = isScenarioPath(arg) ? basename(dir) : arg;
  const file = join(dir, 'scenario.json');
  if (!existsSync(file)) {
    if (isScenarioPath(arg)) throw usageError(`no scenario.json in ${dir}`, 'Pass a scenario name of ci/scenarios/ or the directory of a scenario.json.');
    const known = listScenarios(root);
    throw usageError(`unknown scenario "${name}"`, known.length ? `Known scenarios: ${known.join(', ')}.` : `No scenarios under ${root}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw usageError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  return { scenario: parseScenario(name, json, readdirSync(dir)), dir };
}

/** How a command line names a loaded scenario: its name when it is one of ROOT's, else its directory. */
export const scenarioArg = (l: LoadedScenario, root = scenariosRoot()): string => (l.dir === join(root, l.scenario.name) ? l.scenario.name : l.dir);
