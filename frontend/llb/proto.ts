/**
 * The one place the LLB builder reaches into generated protobuf code, so the
 * rest of frontend/llb reads in terms of our own types.
 */
export * from "../gen/moby/buildkit/solver/ops_pb.ts";
