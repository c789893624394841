// The library's one public entry. Notebooks import from "@llm-course/lib" only.
export * from "./core";
