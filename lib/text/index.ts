// Text: BERT normalisation, pre-tokenisation, WordPiece (train, encode, decode), HF file interop, classic cleaning.
export * from "./char-classes";
export * from "./normalizer";
export * from "./pretokenizer";
export * from "./wordpiece";
export * from "./encoding";
export * from "./added-tokens";
export * from "./tokenizer";
export * from "./wordpiece-trainer";
export * from "./hf-files";
export * from "./clean";
export * from "./stopwords";
export * from "./format-whitespace";
export * from "./chinese-script";
