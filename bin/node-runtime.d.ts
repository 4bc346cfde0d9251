/** Types for node-runtime.js, the plain-JavaScript launcher that picks a Node 22 or newer. */
export declare const REQUIRED_MAJOR: number;
export interface NodeRuntime {
  path: string;
  version: string;
}
export type NodeChoice = { execPath: string; reexec: boolean; error?: undefined } | { error: string; execPath?: undefined; reexec?: undefined };
export declare function nodeTooOldMessage(currentVersion: string): string;
export declare function bundledNode(fromDir?: string): NodeRuntime | undefined;
export declare function chooseNode(current: NodeRuntime, bundled: NodeRuntime | undefined): NodeChoice;
export declare function runWithNode22(script: string, args: string[]): Promise<void>;
