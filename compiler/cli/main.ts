/** @module The `switchyard` command line. */
import { Command, CommanderError } from 'commander';
import { compileCommand } from './commands/compile.ts';
import { upCommand } from './commands/up.ts';
import { statusCommand } from './commands/status.ts';
import { addClusterOptions, clusterStatusCommand } from './commands/cluster-status.ts';
import { deployCommand } from './commands/deploy.ts';
import { deleteCommand } from './commands/delete.ts';
import { rollbackCommand } from './commands/rollback.ts';
import { traceListCommand } from './commands/trace-list.ts';
import { readAuthToken } from './server-flags.ts';
import { traceShowCommand } from './commands/trace-show.ts';
import { validateCommand } from './commands/validate.ts';
import { importCommand } from './commands/import.ts';
import { consoleOutput, type Output } from './output.ts';
import { SCALING_FLAGS } from './scaling-flags.ts';

export function createProgram(
  out: Output = consoleOutput,
  setExitCode: (code: number) => void = (code) => void (process.exitCode = code),
  env: Record<string, string | undefined> = process.env,
): Command {
  const program = new Command('switchyard')
    .description('Deploy ML inference graphs as scale-to-zero serverless functions, locally or on Knative.')
    .showHelpAfterError('(run with --help for usage)');
  const run = (action: () => Promise<number>) => async () => setExitCode(await action());

  program
    .command('validate <graph>')
    .description('check a graph file and report every problem at once')
    .action((graph: string) => run(() => validateCommand(graph, out))());

  program
    .command('import <file>')
    .description('write a graph file from a SeldonDeployment (Seldon Core 1.x), a KServe InferenceService or InferenceGraph: the models become nodes called where they run')
    .option('-o, --out <file>', 'where to write the graph file (default: print it)')
    .action((file: string, options: { out?: string }) => run(() => importCommand(file, options, out))());

  program
    .command('compile <graph>')
    .description('compile a graph into one bundle per function, a plan and Knative manifests')
    .requiredOption('-o, --out <dir>', 'output directory')
    .option('--image <image>', 'runtime image for the Knative manifests')
    .action((graph: string, options: { out: string; image?: string }) => run(() => compileCommand(graph, options, out))());

  const up = program
    .command('up <graph>')
    .description('compile and serve a graph on this machine, functions scaled from zero on demand')
    .option('-p, --port <port>', 'gateway port', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--build-dir <dir>', 'where to write the compiled functions (default .switchyard/build/<graph path>)')
    .option('--state <store>', 'router state store: memory, file:PATH or redis://HOST:PORT (default: the graph\'s spec.state, else a file)');
  // Autoscaling knobs for every function; they win over the graph file.
  for (const { flag, value, help } of SCALING_FLAGS) up.option(`${flag} ${value}`, help);
  up.option('--tick <duration>', 'autoscaler decision interval (default 2s)')
    .option('--max-queue <n>', 'requests that may wait for a free replica, per function, before 503 (default 1000)')
    .option('--queue-timeout <duration>', 'longest wait for a free replica before 504 (default 30s)')
    .option('--no-graph-activation', 'wake each function only when first called (cascading cold start) instead of the whole graph at once')
    .option('--internal-transport <kind>', 'how the engine\'s own processes call each other: frames (Unix sockets, the default) or http')
    .option('--grpc-port <port>', 'Open Inference Protocol gRPC port (default: --port + 1, so 8081; 0 when --port is 0: any free port)')
    .option('--max-body-size <size>', 'largest request body, e.g. 10mb, 512kb (default 10mb; 413 beyond)')
    .option('--auth-token-file <path>', 'require "Authorization: Bearer <token>" with the token in this file (or set SWITCHYARD_AUTH_TOKEN)')
    .option('--traces <n>', 'how many recent traces the engine keeps for `switchyard trace` and /ui (default 200)')
    .option('--devices <list>', 'this machine\'s GPUs, instead of detecting them: e.g. nvidia-gpu=2,intel-gpu=1, or none')
    .option('-w, --watch', 'rebuild and restart the graph when its file, components or models change (it keeps serving until the new build is ready)')
    .option('-q, --quiet', 'print only the ready line and errors')
    .action((graph: string, options) => run(() => upCommand(graph, options, out))());

  const status = program
    .command('status [graph]')
    .description('without a graph: the functions of a running `switchyard up` (replicas, queue, cold starts, latency); with a graph (file or name): its Knative Services on the cluster (readiness, revisions, traffic, replicas)')
    .option('-p, --port <port>', 'gateway port', '8080')
    .option('--host <host>', 'gateway address', '127.0.0.1')
    .option('--json', 'print exact JSON');
  addClusterOptions(status).action((graph: string | undefined, options) =>
    run(() => (graph === undefined ? statusCommand(options, out) : clusterStatusCommand(graph, options, out, env)))(),
  );

  // Kubernetes + Knative Serving (runtime/engine/kubernetes, docs/kubernetes.md).
  addClusterOptions(
    program
      .command('deploy <graph>')
      .description('compile a graph and apply it to a Kubernetes cluster with Knative Serving (server-side apply), then wait until it is Ready'),
  )
    .option('--image <image>', 'the runtime image that runs every function')
    .option('--dry-run', "the server's dry run: print what would change, change nothing")
    .option('--wait', 'wait until every Knative Service is Ready (the default)')
    .option('--no-wait', 'return once everything is applied')
    .option('--timeout <duration>', 'how long to wait for readiness', '5m')
    .option('--state-url <url>', 'Redis URL for the <graph>-state Secret, instead of the graph\'s spec.state.url (never printed)')
    .option('--build-dir <dir>', 'where to compile to (default .switchyard/deploy/<graph path>)')
    .action((graph: string, options) => run(() => deployCommand(graph, options, out, env))());
  addClusterOptions(program.command('delete <graph>').description('delete a deployed graph (a graph file or name) from the cluster'))
    .option('--dry-run', "the server's dry run: print what would be deleted")
    .action((graph: string, options) => run(() => deleteCommand(graph, options, out, env))());
  addClusterOptions(program.command('rollback <graph>').description('send each function\'s traffic back to its previous ready revision'))
    .option('--dry-run', "the server's dry run: print what would change")
    .action((graph: string, options) => run(() => rollbackCommand(graph, options, out, env))());

  const trace = program.command('trace').description('inspect recent requests of a running `switchyard up`: spans, routes, router decisions');
  addEngineClientOptions(trace.command('list').description('recent traces: time, duration, status, route taken'))
    .option('-n, --limit <n>', 'how many traces, newest first', '20')
    .option('--errors', 'only requests that failed')
    .option('--node <name>', 'only requests whose route went through this node')
    .action((options) => run(() => traceListCommand(withToken(options, env), out))());
  addEngineClientOptions(
    trace.command('show <trace-id>').description('one trace as a waterfall of nested spans, with router decisions and errors (a unique prefix of the id will do)'),
  )
    .option('-w, --width <columns>', 'line width', '80')
    .action((id: string, options) => run(() => traceShowCommand(id, withToken(options, env), out))());

  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = createProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`switchyard: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

/** The options of a command that reads a running `switchyard up`: where it is, its token, JSON output. */
function addEngineClientOptions(command: Command): Command {
  return command
    .option('-p, --port <port>', 'gateway port', '8080')
    .option('--host <host>', 'gateway address', '127.0.0.1')
    .option('--json', 'print exact JSON')
    .option('--auth-token-file <path>', 'the token of an engine started with --auth-token-file (or set SWITCHYARD_AUTH_TOKEN)');
}

/** Adds the engine's bearer token (from --auth-token-file, else SWITCHYARD_AUTH_TOKEN) to a client command's options. */
function withToken<T extends { authTokenFile?: string }>(options: T, env: Record<string, string | undefined>): T & { token?: string } {
  const token = readAuthToken(options.authTokenFile, env);
  return token === undefined ? options : { ...options, token };
}
