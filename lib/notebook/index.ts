// The notebook runner. Not re-exported from `lib/index.ts`: it loads zeromq, which notebooks must not pull in.
export * from "./ipynb";
export * from "./message";
export * from "./outputs";
export * from "./kernel";
export * from "./failure";
export * from "./run";
export * from "./report";
