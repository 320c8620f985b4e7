export declare const nodeEntries: ReadonlyArray<{
  name: string;
  entry: string;
  outfile: string;
  format: 'esm' | 'cjs';
  splitting?: boolean;
}>;
export declare function buildNode(names?: string[]): Promise<void>;
