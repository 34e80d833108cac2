/** The repository root. */
export declare const ROOT: string;
/** Why dist/ needs a build (`missing`, `older than its sources`), or `undefined`. */
export declare function distStaleness(): string | undefined;
/** Builds dist/ if it is missing or stale; returns whether it built. */
export declare function ensureDist(): boolean;
