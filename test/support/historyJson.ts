// Workflow histories to and from the proto3 JSON that Temporal's tools write (UI download, `temporal workflow show -o json`).
// Why not the SDK's historyToJSON/historyFromJSON: in this install @temporalio/common and @temporalio/proto each carry
// their own copy of protobufjs, and the SDK's helpers mix the two ("type must be a Type"). The same conversion with
// the protobufjs copy that built the proto root works.
import { createRequire } from 'node:module';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';

interface Type {
  fromObject(o: unknown): unknown;
}
const protoRequire = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const protojson = protoRequire('protobufjs/ext/protojson') as {
  toJson(type: Type, message: unknown): unknown;
  fromJson(type: Type, json: unknown, opts: { ignoreUnknownFields: boolean }): unknown;
};
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): Type }).lookupType('temporal.api.history.v1.History');

export function historyToJSON(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
}

export function historyFromJSON(json: unknown): History {
  const loaded = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!loaded) throw new TypeError('not a workflow history');
  return loaded as History;
}
