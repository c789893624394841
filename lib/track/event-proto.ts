/**
 * The protocol buffers of TensorBoard event files, encoded and decoded by protobufjs (the library onnx-proto
 * already brings in) from a schema parsed at load time.
 *
 * The schema is the subset of TensorFlow's published messages that the course writes and reads — same package,
 * names, field numbers and types as `tensorflow/core/util/event.proto`, `tensorflow/core/framework/summary.proto`,
 * `tsl/protobuf/histogram.proto`, `tensorflow/core/framework/tensor.proto` and `tensor_shape.proto` (the copies
 * TensorBoard keeps in `tensorboard/compat/proto/`). Fields it leaves out (graphs, images, audio, …) are never
 * written here, and a reader that knows the full schema parses these files unchanged; tests/track checks that
 * with Google's own Python protobuf on a schema compiled by `protoc`.
 */
import * as protobuf from "protobufjs";

const SCHEMA = `
syntax = "proto3";
package tensorboard;

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    Summary summary = 5;
    SessionLog session_log = 7;
  }
  SourceMetadata source_metadata = 10;
}

message SourceMetadata { string writer = 1; }

message SessionLog {
  enum SessionStatus { STATUS_UNSPECIFIED = 0; START = 1; STOP = 2; CHECKPOINT = 3; }
  SessionStatus status = 1;
  string checkpoint_path = 2;
  string msg = 3;
}

message SummaryMetadata {
  message PluginData { string plugin_name = 1; bytes content = 2; }
  PluginData plugin_data = 1;
  string display_name = 2;
  string summary_description = 3;
  DataClass data_class = 4;
}

enum DataClass { DATA_CLASS_UNKNOWN = 0; DATA_CLASS_SCALAR = 1; DATA_CLASS_TENSOR = 2; DATA_CLASS_BLOB_SEQUENCE = 3; }

message Summary {
  message Value {
    string tag = 1;
    SummaryMetadata metadata = 9;
    oneof value {
      float simple_value = 2;
      HistogramProto histo = 5;
      TensorProto tensor = 8;
    }
  }
  repeated Value value = 1;
}

message HistogramProto {
  double min = 1;
  double max = 2;
  double num = 3;
  double sum = 4;
  double sum_squares = 5;
  repeated double bucket_limit = 6 [packed = true];
  repeated double bucket = 7 [packed = true];
}

enum DataType { DT_INVALID = 0; DT_FLOAT = 1; DT_DOUBLE = 2; DT_STRING = 7; }

message TensorShapeProto {
  message Dim { int64 size = 1; string name = 2; }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}

message TensorProto {
  DataType dtype = 1;
  TensorShapeProto tensor_shape = 2;
  int32 version_number = 3;
  bytes tensor_content = 4;
  repeated float float_val = 5 [packed = true];
  repeated double double_val = 6 [packed = true];
  repeated bytes string_val = 8;
}
`;

const root = protobuf.parse(SCHEMA, { keepCase: true }).root;
const EventType = root.lookupType("tensorboard.Event");

/** `HistogramProto`: bucket `i` counts values in (`bucket_limit[i-1]`, `bucket_limit[i]`]; the first starts at −∞. */
export interface HistogramProto {
  min: number;
  max: number;
  num: number;
  sum: number;
  sum_squares: number;
  bucket_limit: number[];
  bucket: number[];
}

/** `TensorProto`, the fields used here (rank-0 string tensors for text). */
export interface TensorProto {
  dtype: "DT_STRING" | "DT_FLOAT" | "DT_DOUBLE" | number;
  tensor_shape?: { dim?: { size: number; name?: string }[] };
  string_val?: Uint8Array[];
  float_val?: number[];
  double_val?: number[];
}

/** `Summary.Value`: one tagged value, with the metadata that tells TensorBoard which plugin shows it. */
export interface SummaryValue {
  tag: string;
  metadata?: { plugin_data?: { plugin_name: string; content?: Uint8Array }; display_name?: string; summary_description?: string; data_class?: number | string };
  simple_value?: number;
  histo?: HistogramProto;
  tensor?: TensorProto;
}

/** `Event`: a wall time, a step, and one of a file version, a summary or a session log. */
export interface TfEvent {
  /** Seconds since the Unix epoch. */
  wall_time: number;
  step: number;
  file_version?: string;
  summary?: { value: SummaryValue[] };
  session_log?: { status: "STATUS_UNSPECIFIED" | "START" | "STOP" | "CHECKPOINT" | number; checkpoint_path?: string; msg?: string };
  source_metadata?: { writer: string };
}

/** The `Event` message's wire bytes. */
export function encodeEvent(event: TfEvent): Uint8Array {
  return EventType.encode(EventType.fromObject(event)).finish();
}

/**
 * Parses an `Event` (int64s as numbers, enums as names, bytes as `Uint8Array`).
 * @throws protobufjs's error when `bytes` is not an `Event`
 */
export function decodeEvent(bytes: Uint8Array): TfEvent {
  const object = EventType.toObject(EventType.decode(bytes), { longs: Number, enums: String }) as Partial<TfEvent>;
  return { ...object, wall_time: object.wall_time ?? 0, step: object.step ?? 0 }; // proto3 omits zeros on the wire
}
