// The autograder (issue #14): exercises in nbgrader's metadata, the student release, learners' checks and sandboxed
// grading. Not re-exported from `lib/index.ts`: it loads the notebook runner (zeromq), which notebooks must not pull in.
export * from "./metadata";
export * from "./regions";
export * from "./checksum";
export * from "./assign";
export * from "./answers";
export * from "./plan";
export * from "./imports";
export * from "./preamble";
export * from "./run";
export * from "./sandbox";
export * from "./submission";
export * from "./feedback";
export * from "./batch";
export * from "./check";
