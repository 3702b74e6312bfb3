type Probe = (command: string, args: string[]) => number;
export declare const REFERENCE_PYTHON: string;
export declare function referenceProblem(script: string, options?: { exists?: (path: string) => boolean }): string | null;
export declare function torchNote(options?: { probe?: Probe }): string | null;
export declare function referenceFailure(code: number, epochs: number, stderrTail: string, options?: { probe?: Probe }): string | null;
