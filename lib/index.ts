// The library's one public entry. Notebooks import from "@llm-course/lib" only.
export * from "./core";
export * from "./text";
export * from "./data";
export * from "./stats";
export * from "./plot";
export * from "./nn";
export * from "./train";
export * from "./model";
export * from "./pretrain";
export * from "./checkpoint";
export * from "./tasks";
export * from "./metrics";
export * from "./baseline";
export * from "./parallel";
export * from "./export";
export * from "./compress";
export * from "./peft";
