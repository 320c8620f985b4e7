export declare const requiredEntries: readonly string[];
export declare function checkListing(
  entries: string[],
  pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> },
): string[];
export declare function packageSmoke(options?: { out?: string; keep?: boolean }): {
  ok: boolean;
  problems: string[];
  entries?: number;
  asar?: string;
  ms?: number;
  ours?: string[];
};
