export interface Finding {
  rule: string;
  level: string;
  file: string;
  line: number;
  message: string;
}
export declare function findingsOf(sarif: unknown): Finding[];
export declare function unallowed(findings: Finding[], list?: { rule: string; message?: RegExp }[]): Finding[];
export declare function scan(options?: { sources?: string }): { findings: Finding[]; failing: Finding[] };
