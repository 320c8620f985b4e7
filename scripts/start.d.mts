export declare const builtFiles: readonly string[];
export declare function needsBuild(root?: string): boolean;
export declare function findElectronRuntime(root?: string): string | null;
export declare function main(argv?: string[], root?: string): void;
