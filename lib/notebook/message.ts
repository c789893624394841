/**
 * Jupyter messages and their wire format, messaging protocol v5.3
 * (https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol):
 *
 *   [routing ids..., "<IDS|MSG>", hmac, header, parent_header, metadata, content, buffers...]
 *
 * `hmac` is the hex HMAC-SHA256, keyed with the connection file's `key`, of the four JSON frames in order.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/** The frame that ends the routing prefix. */
export const DELIMITER = "<IDS|MSG>";

/** The protocol version this client speaks. */
export const PROTOCOL_VERSION = "5.3";

/** A message header (`msg_id` is what replies and outputs point back to through `parent_header`). */
export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** A decoded message. `content` stays loosely typed: each `msg_type` has its own shape (read by the caller). */
export interface Message {
  header: MessageHeader;
  /** The header of the request this message answers, or `{}` */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: Buffer[];
}

/**
 * Signs the four JSON frames.
 * @param key the connection file's `key` (an empty key means "no signing": the signature is "")
 * @returns the lowercase hex HMAC-SHA256 of the frames concatenated
 */
export function sign(key: string, frames: ReadonlyArray<string | Buffer>): string {
  if (key === "") return "";
  const hmac = createHmac("sha256", key);
  for (const frame of frames) hmac.update(frame);
  return hmac.digest("hex");
}

/**
 * Builds a new request.
 * @param msgType e.g. `execute_request`
 * @param content the request body
 * @param session the client's session id (one per kernel client)
 */
export function newMessage(msgType: string, content: Record<string, unknown>, session: string): Message {
  return {
    header: {
      msg_id: randomUUID(),
      session,
      username: "course",
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    },
    parent_header: {},
    metadata: {},
    content,
    buffers: [],
  };
}

/** Encodes a message into frames (no routing prefix: DEALER sockets add none). */
export function encodeMessage(message: Message, key: string): Buffer[] {
  const frames = [message.header, message.parent_header, message.metadata, message.content].map((part) =>
    Buffer.from(JSON.stringify(part), "utf8"),
  );
  return [Buffer.from(DELIMITER), Buffer.from(sign(key, frames)), ...frames, ...message.buffers];
}

/**
 * Decodes frames from a socket, checking the signature.
 * @returns the message; throws when the delimiter is missing, a frame is not JSON, or the signature is wrong
 *   (a wrong signature means a different `key`: another kernel on the same ports)
 */
export function decodeMessage(frames: Buffer[], key: string): Message {
  const at = frames.findIndex((frame) => frame.length === DELIMITER.length && frame.toString() === DELIMITER);
  if (at < 0) throw new Error(`jupyter message without the ${DELIMITER} delimiter (${frames.length} frames)`);
  const [signature, header, parent, metadata, content] = frames.slice(at + 1, at + 6);
  if (!signature || !header || !parent || !metadata || !content) {
    throw new Error(`jupyter message with ${frames.length - at - 1} frames after the delimiter (need at least 5)`);
  }
  const expected = sign(key, [header, parent, metadata, content]);
  const got = signature.toString();
  if (got.length !== expected.length || !timingSafeEqual(Buffer.from(got), Buffer.from(expected))) {
    throw new Error(`jupyter message with a bad signature (${got.slice(0, 12)}…): the kernel uses another key`);
  }
  const json = (frame: Buffer): Record<string, unknown> => JSON.parse(frame.toString("utf8")) as Record<string, unknown>;
  return {
    header: json(header) as unknown as MessageHeader,
    parent_header: json(parent) as Partial<MessageHeader>,
    metadata: json(metadata),
    content: json(content),
    buffers: frames.slice(at + 6),
  };
}
