/** What a figure was measured on: the CPU model (lscpu) and the load average at that moment. */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';

let model = null;

export function cpuModel() {
  if (model !== null) return model;
  try {
    const line = execFileSync('lscpu', { encoding: 'utf8' }).split('\n').find((l) => /^Model name:/.test(l));
    model = line ? line.replace(/^Model name:\s*/, '').trim() : 'unknown CPU';
  } catch {
    model = 'unknown CPU (no lscpu)';
  }
  return model;
}

/** "on <CPU>, load 1.23 0.98 0.75" — printed beside every figure (other jobs share the machine). */
export function machineNote() {
  return `on ${cpuModel()}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}
