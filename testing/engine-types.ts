/** The contract suite's engine configurations: what each provides (testing/engines.ts lists them). */
export type Database = { url: string; shared: boolean; drop: () => Promise<void> };

export type EngineRuntime = {
  /** What the app needs to use this engine. */
  appEnv: Record<string, string>;
  /** Resolves once the engine can run the app's work (Inngest: the app is synced). */
  ready?: () => Promise<void>;
  /** Takes the engine away from the app and brings it back (an outage), where that means something. */
  outage?: { down: () => Promise<void>; up: () => Promise<void> };
  stop: () => Promise<void>;
  /** What the engine's own server printed, for a failing test's message. */
  output?: () => string;
};

export type EngineConfig = {
  name: string;
  /** Why this configuration cannot run here, or null. */
  skipReason: () => string | null;
  database: () => Promise<Database>;
  start: (options: { appUrl: string }) => Promise<EngineRuntime>;
};
