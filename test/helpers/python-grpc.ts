/** Test helper: the system Python with grpcio and grpc_tools, for tests that run a real non-JavaScript gRPC client. */
import { execFileSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** Why the Python gRPC client cannot run here (for the skip message), or undefined when it can. */
export function pythonGrpcMissing(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import grpc, grpc_tools'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return `${PYTHON} has no grpcio/grpc_tools (apt-get install python3-grpcio python3-grpc-tools)`;
  }
}
