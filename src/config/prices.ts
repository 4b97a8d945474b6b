import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parsePriceTable, type PriceTable } from '../model/pricing.js';
import { PROJECT_ROOT } from './harness-config.js';

/** The price table shipped in config/prices.yaml (or another file), validated. */
export function loadPriceTable(file = path.join(PROJECT_ROOT, 'config/prices.yaml')): PriceTable {
  if (!existsSync(file)) return {};
  return parsePriceTable(parseYaml(readFileSync(file, 'utf8')), file);
}
