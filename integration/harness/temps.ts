// Temporary directories and build contexts for a test file, removed together.
import { tmpContext, tmpDir, type ContextFile, type TmpDir } from "./context.ts";

export interface Temps {
  dir(): Promise<string>;
  context(files: Record<string, ContextFile>): Promise<string>;
  cleanup(): Promise<void>;
}

/** Use as `const temps = tempDirs(); afterAll(() => temps.cleanup());`. */
export function tempDirs(): Temps {
  const made: TmpDir[] = [];
  const keep = (t: TmpDir) => {
    made.push(t);
    return t.dir;
  };
  return {
    dir: async () => keep(await tmpDir()),
    context: async (files) => keep(await tmpContext(files)),
    cleanup: async () => {
      await Promise.all(made.splice(0).map((t) => t.cleanup()));
    },
  };
}
