// Exercises: the `check…` helpers that notebook exercises' tests call (messages written for learners).
export * from "./check";
