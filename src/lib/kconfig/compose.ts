// SPDX-License-Identifier: GPL-2.0-only
/**
 * Composing the request: which fragments, in which order, merged (a later value wins).
 * Order: the reduction of a distribution base (--base debian), platform, feature,
 * persistence types, debug, selftests, --module, then the
 * user's own --fragment files, so that a user can override anything. --module comes after
 * the selftests' config files: their `=y` says that a test needs a driver, which a module
 * gives as well (the tests load it), and a user who asks for modules gets them.
 */
import { formatConfig, mergeConfigs, configLine, withSource, type Config, type ConfigEntry, type Override } from './config.js';
import { findingsOf, formatFinding, type Catalog, type Fragment, type FragmentFinding } from './fragments.js';

export interface ComposeOptions {
  /** A reduce-NAME.config of the catalog, first: everything after it may turn back on what it turns off. */
  reduce?: string | null;
  feature: boolean;
  platform: string | null;
  persist: readonly string[];
  debug: boolean;
  /** Build the feature's tristates as modules. */
  module: boolean;
  selftests: readonly Fragment[];
  fragments: readonly Fragment[];
}

export interface Layer {
  name: string;
  path: string | null;
  config: Config;
}

export interface Composition {
  layers: Layer[];
  requested: Config;
  overrides: Override[];
  /** Lines of the fragments used that are not Kconfig assignments (left out of the request). */
  findings: FragmentFinding[];
  warnings: string[];
}

/** The --module layer: the feature's listed tristates that it sets to y, now m. */
export function moduleLayer(feature: Fragment): Layer {
  const config = new Map<string, ConfigEntry>();
  for (const s of feature.moduleSymbols) {
    const e = feature.config.get(s);
    if (e && e.value === 'y') config.set(s, { symbol: s, value: 'm', source: '--module', line: 0 });
  }
  return { name: '--module', path: null, config };
}

export function compose(catalog: Catalog, o: ComposeOptions): Composition {
  const layers: Layer[] = [];
  const warnings: string[] = [];
  const used: Fragment[] = [];
  /** Layer names are unique: they label where each requested value came from. */
  const layerOf = (f: Fragment): Layer => {
    used.push(f);
    let name = f.name;
    for (let i = 2; layers.some((l) => l.name === name); i++) name = `${f.name}#${i}`;
    return { name, path: f.path, config: name === f.name ? f.config : withSource(f.config, name) };
  };
  if (o.reduce) {
    const r = catalog.reduce[o.reduce];
    if (!r) throw new Error(`internal error: no reduce-${o.reduce}.config in ${catalog.dir}`);
    layers.push(layerOf(r));
  }
  if (o.platform) layers.push(layerOf(catalog.platform[o.platform]));
  if (o.feature) layers.push(layerOf(catalog.feature));
  for (const p of o.persist) layers.push(layerOf(catalog.persist[p]));
  if (o.debug) layers.push(layerOf(catalog.debug));
  for (const f of o.selftests) layers.push(layerOf(f));
  if (o.module) {
    if (!o.feature) warnings.push('--module has no effect without the feature fragment');
    else layers.push(moduleLayer(catalog.feature));
  }
  for (const f of o.fragments) layers.push(layerOf(f));
  const findings = used.flatMap(findingsOf);
  warnings.unshift(...findings.map(formatFinding));
  const { config, overrides } = mergeConfigs(...layers.map((l) => l.config));
  for (const ov of overrides) {
    if (ov.to.source === '--module') continue;
    warnings.push(`${configLine(ov.symbol, ov.to.value)} from ${ov.to.source} overrides ${configLine(ov.symbol, ov.from.value)} from ${ov.from.source}`);
  }
  return { layers, requested: config, overrides, findings, warnings };
}

/** The merged request as one fragment, grouped by the layer that decided each value. */
export function renderComposition(c: Composition, header: string[] = []): string {
  const lines = ['# SPDX-License-Identifier: GPL-2.0-only', ...header.map((h) => `# ${h}`)];
  for (const l of c.layers) {
    const mine = [...c.requested.values()].filter((e) => e.source === l.name);
    if (!mine.length) continue;
    lines.push('', `# --- ${l.name}${l.path ? ` (${l.path})` : ''}`);
    lines.push(formatConfig(new Map(mine.map((e) => [e.symbol, e]))).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
