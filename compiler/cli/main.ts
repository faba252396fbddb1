/** @module The `switchyard` command line. */
import { Command, CommanderError } from 'commander';
import { compileCommand } from './commands/compile.ts';
import { upCommand } from './commands/up.ts';
import { statusCommand } from './commands/status.ts';
import { validateCommand } from './commands/validate.ts';
import { consoleOutput, type Output } from './output.ts';

export function createProgram(out: Output = consoleOutput, setExitCode: (code: number) => void = (code) => void (process.exitCode = code)): Command {
  const program = new Command('switchyard')
    .description('Deploy ML inference graphs as scale-to-zero serverless functions, locally or on Knative.')
    .showHelpAfterError('(run with --help for usage)');
  const run = (action: () => Promise<number>) => async () => setExitCode(await action());

  program
    .command('validate <graph>')
    .description('check a graph file and report every problem at once')
    .action((graph: string) => run(() => validateCommand(graph, out))());

  program
    .command('compile <graph>')
    .description('compile a graph into one bundle per function, a plan and Knative manifests')
    .requiredOption('-o, --out <dir>', 'output directory')
    .option('--image <image>', 'runtime image for the Knative manifests')
    .action((graph: string, options: { out: string; image?: string }) => run(() => compileCommand(graph, options, out))());

  program
    .command('up <graph>')
    .description('compile and serve a graph on this machine, functions scaled from zero on demand')
    .option('-p, --port <port>', 'gateway port', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--build-dir <dir>', 'where to write the compiled functions (default .switchyard/build/<graph path>)')
    .option('--state <store>', 'router state store: memory, file:PATH or redis://HOST:PORT (default: the graph\'s spec.state, else a file)')
    .option('--stable-window <duration>', 'autoscaler stable window for every function (e.g. 6s)')
    .option('--scale-to-zero-grace <duration>', 'idle time before a function scales to zero (e.g. 3s)')
    .option('--scale-down-delay <duration>', 'how long a higher scale is kept before scaling down')
    .option('--tick <duration>', 'autoscaler decision interval (default 2s)')
    .option('-q, --quiet', 'print only the ready line and errors')
    .action((graph: string, options) => run(() => upCommand(graph, options, out))());

  program
    .command('status')
    .description('show the functions of a running `switchyard up`: replicas, queue, cold starts, latency')
    .option('-p, --port <port>', 'gateway port', '8080')
    .option('--host <host>', 'gateway address', '127.0.0.1')
    .option('--json', 'print exact JSON')
    .action((options) => run(() => statusCommand(options, out))());

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
