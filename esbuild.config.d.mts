export declare const RUNTIME_IMAGE_PACKAGES: string[];
export declare const functionBuildOptions: Record<string, unknown>;
