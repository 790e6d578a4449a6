// Helpers for the integration tests: the engine the global setup found,
// docker/buildx runs against it, temp contexts, and readers for what builds
// export (local trees, OCI tars).
export { run, runOk, type RunOptions, type RunResult } from "./exec.ts";
export { dockerEnv, engineAvailable, engineInfo, requireEngine, requireImage, type EngineInfo } from "./engine.ts";
export { buildx, docker, type DockerOptions } from "./docker.ts";
export { tmpContext, tmpDir, type ContextFile, type TmpDir } from "./context.ts";
export { treeOf, treeOfTar, type TreeEntry } from "./tree.ts";
export { readTar, type TarEntry } from "./tar.ts";
export { readOciAttestations, readOciConfig, readOciImage, type OciAttestation, type OciDescriptor, type OciImage, type OciImageConfig, type OciManifest } from "./oci.ts";
export { rawVertices, stepRan, steps, vertices, type RawVertex, type VertexStatus } from "./progress.ts";
export { tempDirs, type Temps } from "./temps.ts";
