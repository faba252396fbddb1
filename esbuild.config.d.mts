export declare const NATIVE_EXTERNALS: string[];
export declare const functionBuildOptions: Record<string, unknown>;
