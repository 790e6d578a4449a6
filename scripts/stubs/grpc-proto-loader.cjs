// Stand-in for @grpc/proto-loader in the bundle. cachefront's protobuf code is
// generated ahead of time (protobuf-es), and grpc-js only loads proto-loader to
// describe its channelz admin service, which a frontend never serves. Leaving
// it (and protobufjs, which it pulls in) out makes the bundle a quarter smaller
// and the frontend start faster. Any use fails loudly rather than silently.
"use strict";
function unavailable() {
  throw new Error("@grpc/proto-loader is not bundled in cachefront");
}
module.exports = { loadSync: unavailable, load: unavailable, fromJSON: unavailable, loadFileDescriptorSetFromBuffer: unavailable, loadFileDescriptorSetFromObject: unavailable };
