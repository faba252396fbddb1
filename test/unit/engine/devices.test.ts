/** This machine's GPUs: detection from a /dev and /sys laid out in a temporary folder, and the --devices flag. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeInventory, detectDevices, parseDevices } from '../../../runtime/engine/local/devices.ts';

describe('detectDevices', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A fake machine: `/dev` entries and DRM cards with their PCI vendors. */
  function machine({ dev = [], cards = {} }: { dev?: string[]; cards?: Record<string, string> }) {
    root = mkdtempSync(path.join(os.tmpdir(), 'switchyard-devices-'));
    mkdirSync(path.join(root, 'dev'));
    for (const name of dev) writeFileSync(path.join(root, 'dev', name), '');
    for (const [card, vendor] of Object.entries(cards)) {
      mkdirSync(path.join(root, 'sys/class/drm', card, 'device'), { recursive: true });
      if (vendor !== '') writeFileSync(path.join(root, 'sys/class/drm', card, 'device/vendor'), `${vendor}\n`);
    }
    return { dev: path.join(root, 'dev'), sys: path.join(root, 'sys') };
  }

  it('counts NVIDIA GPUs by their /dev/nvidia<N> files, not the control devices', () => {
    const found = detectDevices(machine({ dev: ['nvidia0', 'nvidia1', 'nvidiactl', 'nvidia-uvm', 'null'] }));
    expect(found.gpus).toEqual({ 'nvidia-gpu': 2, 'intel-gpu': 0, 'amd-gpu': 0 });
    expect(describeInventory(found)).toBe('nvidia-gpu ×2');
  });

  it('counts DRM cards by PCI vendor, and not their connectors', () => {
    const found = detectDevices(machine({ cards: { card0: '0x8086', 'card0-HDMI-A-1': '0x8086', card1: '0x1002', card2: '0x10DE', card3: '0x1af4', card4: '' } }));
    expect(found.gpus).toEqual({ 'nvidia-gpu': 1, 'intel-gpu': 1, 'amd-gpu': 1 });
    expect(describeInventory(found)).toBe('nvidia-gpu ×1, intel-gpu ×1, amd-gpu ×1');
  });

  it('finds nothing on a machine without either, and says where it looked', () => {
    const roots = machine({});
    const found = detectDevices(roots);
    expect(found.gpus).toEqual({ 'nvidia-gpu': 0, 'intel-gpu': 0, 'amd-gpu': 0 });
    expect(found.source).toBe(`none found in ${roots.dev} and ${path.join(roots.sys, 'class/drm')}`);
    expect(describeInventory(found)).toBe('no GPU');
  });
});

describe('parseDevices (--devices)', () => {
  it('reads kinds and counts, or none', () => {
    expect(parseDevices('nvidia-gpu=2, intel-gpu=1').gpus).toEqual({ 'nvidia-gpu': 2, 'intel-gpu': 1, 'amd-gpu': 0 });
    expect(parseDevices('none')).toEqual({ gpus: { 'nvidia-gpu': 0, 'intel-gpu': 0, 'amd-gpu': 0 }, source: 'declared with --devices' });
  });

  it.each(['tpu=1', 'nvidia-gpu', 'nvidia-gpu=two', 'cpu=4', ''])('refuses "%s", saying what to write', (text) => {
    expect(() => parseDevices(text)).toThrow(`--devices takes a list such as nvidia-gpu=2,intel-gpu=1 (kinds: nvidia-gpu, intel-gpu, amd-gpu), or none; received "${text}"`);
  });
});
