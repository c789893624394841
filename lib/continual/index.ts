// Continual learning: tasks in sequence on a shared encoder; forgetting, rehearsal and EWC.
export * from "./ewc";
export * from "./replay";
export * from "./metrics";
export * from "./sequential";
