/**
 * The local engine's web page (/ui) in a real headless browser (Debian's chromium, driven by playwright-core):
 * the seed graph as a diagram with live replicas, routed shares and what the router learned, recent traces, a trace's waterfall on click,
 * and a screenshot that shows real content. Skipped, with the reason, where /usr/bin/chromium is absent.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SEED = path.resolve('examples/seed/graph.yaml');
const seldonRequest = JSON.parse(await readFile('examples/seed/requests/seldon.json', 'utf8'));

/** Headless chromium with a profile of its own; `close` closes it and removes the profile. */
async function launchChromium(viewport?: { width: number; height: number }): Promise<{ browser: BrowserContext; profile: string; close(): Promise<void> }> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'switchyard-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(viewport === undefined ? {} : { viewport }),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    profile,
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!HAVE_CHROMIUM)(`the /ui page in headless chromium${HAVE_CHROMIUM ? '' : ' (skipped: /usr/bin/chromium is not installed; apt-get install chromium)'}`, () => {
  let graph: RunningGraph;
  let browser: BrowserContext;
  let page: Page;
  let chromiumRun: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let traceId: string;
  let chosen: string;
  const requested: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    // Without graph-aware activation each function starts only when a call reaches it, so the first call to the
    // model is a cold start for sure (the waterfall shows it); with it, the model may be ready in time.
    graph = await startGraph(SEED, { engine: { graphActivation: false } });
    const { body } = await graph.post('/api/v1.0/predictions', seldonRequest);
    traceId = body.meta.tags['trace-id'];
    chosen = graph.plan.nodes.bandit!.children[body.meta.routing.bandit]!;
    // Feedback gives the router something learned to show (mean reward 1 on the arm that was rewarded).
    expect((await graph.post('/api/v1.0/feedback', { request: seldonRequest, response: body, reward: 1 })).status).toBe(200);
    await eventually('the trace reaches the engine', async () => (await graph.get(`/_switchyard/traces/${traceId}`)).body.spans?.length >= 6);
    await eventually('the router counts the reward', async () => (await graph.get('/_switchyard/routers')).body.routers?.[0]?.totalPulls === 1);

    chromiumRun = await launchChromium({ width: 1280, height: 900 });
    browser = chromiumRun.browser;
    page = await browser.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${graph.url}/ui`);
  });
  afterAll(async () => {
    await chromiumRun?.close();
    await graph?.stop();
  });

  it('draws the graph: every node, its type, its function\'s replicas, where the router sent requests, what it learned', async () => {
    const diagram = page.locator('[data-testid="graph"] svg');
    for (const name of ['features', 'bandit', 'good-model', 'weak-model']) {
      await expect.poll(() => diagram.locator(`g[data-node="${name}"] text.node-name`).textContent()).toBe(name);
    }
    expect(await diagram.locator('g[data-node="bandit"]').textContent()).toContain('ROUTER · epsilon-greedy');
    expect(await diagram.locator('g[data-node="good-model"]').textContent()).toContain('MODEL · onnx');
    // Warm path: each function the request reached has one ready replica; the router runs in the orchestrator.
    await expect.poll(() => diagram.locator('g[data-node="features"] .node-replicas').textContent()).toBe('fn features: ● 1 ready');
    expect(await diagram.locator('g[data-node="bandit"] .node-replicas').textContent()).toMatch(/^in orchestrator: ● 1 ready/);
    expect(await diagram.locator('path.edge').count()).toBe(3);
    // Edges: where the router sent the traced requests (the one request, to the chosen model).
    await expect.poll(() => diagram.locator('text.edge-label').allTextContents()).toEqual(chosen === 'weak-model' ? ['100%', '0%'] : ['0%', '100%']);
    const other = chosen === 'weak-model' ? 'good-model' : 'weak-model';
    const routed = chosen === 'weak-model' ? 'weak-model 100% · good-model 0%' : 'weak-model 0% · good-model 100%';
    const note = await page.locator('#routers-note').textContent();
    expect(note).toContain(`bandit (epsilon-greedy): routed ${routed} of the last 1 traced requests`);
    expect(note).toContain(`${chosen} 1 pulls, mean reward 1.000`);
    expect(note).toContain(`${other} 0 pulls`);
    // The router's bars: what it learned of each arm (mean reward 1 for the rewarded one, nothing for the other).
    const bars = diagram.locator('g[data-node="bandit"] rect.share-bar');
    const widths = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('width'))));
    const tracks = await diagram.locator('g[data-node="bandit"] rect.share-track').evaluateAll((els) => els.map((e) => Number(e.getAttribute('width'))));
    const armIndex = graph.plan.nodes.bandit!.children.indexOf(chosen);
    expect(widths[armIndex]).toBeCloseTo(tracks[armIndex]!, 5);
    expect(widths[1 - armIndex]).toBe(0);
    expect(await diagram.locator('g[data-node="bandit"] rect.share-track title').allTextContents()).toContain(`${other}: no reward yet`);
  });

  it('lists recent traces and draws one\'s waterfall on click', async () => {
    const row = page.locator(`#traces tbody tr[data-trace="${traceId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(`features → bandit → ${chosen}`);
    expect(await row.textContent()).toContain('200 ok');
    await row.click();
    await page.locator('#waterfall .wf-row').first().waitFor();
    expect(await page.locator('#trace-id').textContent()).toBe(traceId);
    const names = await page.locator('#waterfall .wf-name').allTextContents();
    expect(names).toEqual([
      'POST /api/v1.0/predictions[orchestrator]',
      'call features /transform-input',
      'POST /transform-input[features]',
      `route bandit → ${chosen}`,
      `call ${chosen} /predict`,
      `POST /predict[${chosen}]`,
    ]);
    const details = await page.locator('#waterfall .wf-detail').allTextContents();
    expect(details.some((d) => new RegExp(`^↳ chose ${chosen} · (explore|exploit) · estimates weak-model [\\d.]+, good-model [\\d.]+ · (explore|exploit):`).test(d))).toBe(true);
    expect(details.some((d) => /^↳ cold start: waited [\d.]+ m?s for replica 1$/.test(d))).toBe(true);
    // Bars sit on the trace's time line: the root spans it, children start inside it.
    const bars = await page.locator('#waterfall .wf-bar').evaluateAll((els) => els.map((e) => {
      const { style } = e as unknown as { style: { left: string; width: string } };
      return { left: parseFloat(style.left), width: parseFloat(style.width) };
    }));
    expect(bars[0]!.left).toBeCloseTo(0, 0);
    expect(bars[0]!.width).toBeGreaterThan(90);
    for (const bar of bars) expect(bar.left + bar.width).toBeLessThanOrEqual(100.5);
    expect(page.url()).toBe(`${graph.url}/ui#trace=${traceId}`);
  });

  it('renders real content (screenshot check), using nothing but this engine', async () => {
    await page.locator('#waterfall .wf-bar').first().waitFor();
    const shot = await page.screenshot({ fullPage: true });
    const keep = process.env.SWITCHYARD_UI_SCREENSHOT;
    const file = path.join(chromiumRun!.profile, 'ui.png');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, shot));
    if (keep) await copyFile(file, keep);

    const png = PNG.sync.read(shot);
    expect(png.width).toBe(1280);
    expect(png.height).toBeGreaterThan(600);
    const colours = new Set<number>();
    let inked = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      colours.add((r << 16) | (g << 8) | b);
      // Not the page background (#f6f7f9) nor the panels' white.
      if (Math.abs(r - 0xf6) + Math.abs(g - 0xf7) + Math.abs(b - 0xf9) > 24 && r + g + b < 740) inked++;
    }
    expect(colours.size).toBeGreaterThan(200);
    expect(inked / (png.width * png.height)).toBeGreaterThan(0.05);

    // The diagram and the waterfall take real space on the page.
    const diagram = await page.locator('[data-testid="graph"] svg').boundingBox();
    expect(diagram!.width).toBeGreaterThan(600);
    expect(diagram!.height).toBeGreaterThan(150);
    const waterfall = await page.locator('[data-testid="waterfall"]').boundingBox();
    expect(waterfall!.height).toBeGreaterThan(6 * 20);

    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(graph.url) && !url.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe.skipIf(!HAVE_CHROMIUM)('the /ui page for a function that cannot start', () => {
  let graph: RunningGraph;
  let browser: BrowserContext;
  let chromiumRun: Awaited<ReturnType<typeof launchChromium>> | undefined;

  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/fails.yaml'), { engine: { graphActivation: false } });
    expect((await graph.post('/_fn/broken/predict', { data: { ndarray: [[1]] } })).status).toBe(503);
    chromiumRun = await launchChromium();
    browser = chromiumRun.browser;
  });
  afterAll(async () => {
    await chromiumRun?.close();
    await graph?.stop();
  });

  it('marks the node, with the error on hover', async () => {
    const page = await browser.newPage();
    await page.goto(`${graph.url}/ui`);
    const line = page.locator('[data-testid="graph"] g[data-node="broken"] .node-replicas');
    // Once, or more: the engine tries again after each backoff (1 s, 2 s, …) while the function is wanted.
    await expect.poll(() => line.textContent()).toMatch(/^fn broken: failed to start (once|\d+× in a row)$/);
    expect(await line.getAttribute('class')).toBe('node-replicas failing');
    expect(await page.locator('g[data-node="broken"] > title').textContent()).toContain('cannot reach the feature store at 10.0.0.9:6379');
    expect(await page.locator('g[data-node="broken"] rect.node-box').getAttribute('class')).toContain('failing');
    // A graph without routers has no router note.
    expect(await page.locator('#routers-note').textContent()).toBe('');
  });
});

describe.skipIf(!HAVE_CHROMIUM)('the /ui page for a node with shadows', () => {
  let graph: RunningGraph;
  let browser: BrowserContext;
  let chromiumRun: Awaited<ReturnType<typeof launchChromium>> | undefined;

  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/shadow.yaml'), { engine: { graphActivation: false } });
    chromiumRun = await launchChromium();
    browser = chromiumRun.browser;
  });
  afterAll(async () => {
    await chromiumRun?.close();
    await graph?.stop();
  });

  it('draws each shadow beside its node, joined by a dashed edge labelled "shadow"', async () => {
    const page = await browser.newPage();
    await page.goto(`${graph.url}/ui`);
    const diagram = page.locator('[data-testid="graph"]');
    await expect.poll(() => diagram.locator('g[data-node]').count()).toBe(4);
    expect(await diagram.locator('path.edge.shadow').count()).toBe(3);
    expect(await diagram.locator('path.edge:not(.shadow)').count()).toBe(0);
    expect(await diagram.locator('text.edge-label.shadow').allTextContents()).toEqual(['shadow', 'shadow', 'shadow']);
    const dash = await diagram.locator('path.edge.shadow').first().evaluate((path) => (globalThis as unknown as { getComputedStyle(e: unknown): { strokeDasharray: string } }).getComputedStyle(path).strokeDasharray);
    expect(dash).not.toBe('none');
    // Each shadow sits one column to the right of the node it shadows.
    const x = async (name: string) => (await diagram.locator(`g[data-node="${name}"]`).boundingBox())!.x;
    const root = await x('good-model');
    for (const shadow of ['candidate', 'rejects', 'sleeps']) expect(await x(shadow)).toBeGreaterThan(root);
  });

  it('labels a shadow\'s edge with how often its answers agree with its node\'s, once there are some', async () => {
    expect((await graph.post('/api/v1.0/predictions', { data: { ndarray: [[-0.9, 1.0, -1.3, -1.3], [1.0, 0.0, 1.2, 1.5]] } })).status).toBe(200);
    await eventually('the candidate compared', async () => (await graph.get('/api/v1.0/shadows')).body.shadows.some((v: { shadow: string; compared: number }) => v.shadow === 'candidate' && v.compared > 0));
    const page = await browser.newPage();
    await page.goto(`${graph.url}/ui`);
    const labels = page.locator('[data-testid="graph"] text.edge-label.shadow');
    await expect.poll(() => labels.allTextContents()).toContainEqual(expect.stringMatching(/^shadow · \d+% agree$/));
    // The failing shadow and the echo (another shape) have nothing to compare: their edges say "shadow".
    expect((await labels.allTextContents()).filter((t) => t === 'shadow')).toHaveLength(2);
  });

  it('shows where a remote node runs instead of replicas', async () => {
    const remote = await startGraph(path.resolve('test/fixtures/engine/remote-front.yaml'), { engine: { graphActivation: false } });
    try {
      const page = await browser.newPage();
      await page.goto(`${remote.url}/ui`);
      const line = page.locator('[data-testid="graph"] g[data-node="iris"] .node-replicas');
      await expect.poll(() => line.textContent()).toBe('remote 127.0.0.1:1');
      expect(await page.locator('[data-testid="graph"] g[data-node="iris"] .node-line').textContent()).toBe('MODEL · remote v2');
    } finally {
      await remote.stop();
    }
  });
});
