// SPDX-License-Identifier: GPL-2.0-only
/** Finding and reading scenario definitions under ci/scenarios/. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

export function loadScenario(name: string, root = scenariosRoot()): LoadedScenario {
  const dir = join(root, name);
  const file = join(dir, 'scenario.json');
  if (!existsSync(file)) {
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
