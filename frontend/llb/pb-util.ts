/** Small conversions between our types and generated protobuf messages. */
import { create } from "@bufbuild/protobuf";
import { PlatformSchema, type Platform as PbPlatform } from "./proto.ts";
import type { Platform } from "./platform.ts";

export function toPbPlatform(p: Platform): PbPlatform {
  return create(PlatformSchema, {
    Architecture: p.architecture,
    OS: p.os,
    Variant: p.variant ?? "",
    OSVersion: p.osVersion ?? "",
    OSFeatures: p.osFeatures ? [...p.osFeatures] : [],
  });
}
