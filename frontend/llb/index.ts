/** cachefront's LLB builder: immutable states, options as values, deterministic marshalling. */
export { State, NetworkMode, SecurityMode, type StateMeta, type HostEntry, type UlimitEntry } from "./state.ts";
export { EnvList } from "./env-list.ts";
export { image, local, http, git, ociLayout, type ImageOptions, type LocalOptions, type ImageResolveMode } from "./source.ts";
export { run, ExecResult, type ExecOptions, type MountSpec, type SecretSpec, type SshSpec, type ProxyEnv, type CacheSharing } from "./exec.ts";
export { file, mkdir, mkfile, rm, symlink, copy, type FileAction, type CopyOptions, type Owner, type UserRef } from "./file.ts";
export { merge, diff } from "./merge.ts";
export { marshal, digestOf, type MarshalResult } from "./marshal.ts";
export { normalizePath, cleanPath } from "./paths.ts";
export * from "./platform.ts";
export type { Constraints, Output, Vertex } from "./vertex.ts";
export type { SourceMap, SourceLocation, LineRange } from "./source-map.ts";
export { placeholder } from "./placeholder.ts";
