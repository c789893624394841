// The course kernel's public API for cells and library code (the server itself is `dist/main.js`).
export { display, clearOutput, inCourseKernel } from "./api";
export { MIME_BUNDLE, mimeBundleOf, type MimeBundle, type HasMimeBundle } from "./mime";
