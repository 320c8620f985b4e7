export declare const root: string;
export declare const nodeTsconfig: string;
export declare function viteAliases(): { find: RegExp; replacement: string }[];
