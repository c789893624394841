/**
 * The dataset registry (d2l's DATA_HUB idea): every dataset the course uses, with each file's size, sha256 and the
 * public URL a reader's machine downloads it from. URLs are raw GitHub files at a pinned commit, so the bytes never
 * change under the checksum (the mirrors in `$COURSE_DATA_MIRROR` are byte-for-byte copies of the same files).
 * Nothing here is data: the files themselves are never committed to this repository (their licenses forbid it).
 */
import type { TextEncoding } from "./decode";

/** One file of a dataset. */
export interface DatasetFile {
  /** Path inside the dataset folder (also the cache and mirror layout). */
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
  /** Lower-case hex sha256 of the exact bytes. */
  readonly sha256: string;
  /** How the text is encoded (declared, never guessed). */
  readonly encoding: TextEncoding;
  /** Where a reader's machine downloads it. */
  readonly url: string;
}

/** One dataset of the registry. */
export interface DatasetSpec {
  readonly name: string;
  readonly description: string;
  /** License or terms as stated by the source; read before you redistribute anything. */
  readonly license: string;
  readonly citation: string;
  readonly homepage: string;
  /** The GitHub repository and commit the files were taken from. */
  readonly source: { readonly repo: string; readonly commit: string };
  readonly files: readonly DatasetFile[];
}

/** Every registered dataset, by name. Generated once from the mirror and checked against each SOURCE.md. */
export const DATASETS = {
  banking77: {
    name: "banking77",
    description: "Banking77: 13,083 online-banking customer queries labelled with 77 intents (train 10,003 / test 3,080).",
    license: "CC BY 4.0 (LICENSE file ships with the data)",
    citation: "Casanueva, Temčinas, Gerz, Henderson, Vulić (2020). Efficient Intent Detection with Dual Sentence Encoders. arXiv:2003.04807.",
    homepage: "https://github.com/PolyAI-LDN/task-specific-datasets",
    source: { repo: "PolyAI-LDN/task-specific-datasets", commit: "57ec275d8078af65b7731c2a98be812d844a6d6b" },
    files: [
      { path: "LICENSE", size: 18650, sha256: "7e7170e3cebf88a9f60c7b8421418323c09304da1af4d5e90f4da1dc1c8a2661", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/PolyAI-LDN/task-specific-datasets/57ec275d8078af65b7731c2a98be812d844a6d6b/LICENSE" },
      { path: "categories.json", size: 2036, sha256: "53261da888122daf2d120d925458631d9619e15d82e56052e7a42e535ce32b63", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/PolyAI-LDN/task-specific-datasets/57ec275d8078af65b7731c2a98be812d844a6d6b/banking_data/categories.json" },
      { path: "test.csv", size: 239961, sha256: "d12d6e3bc4c3103966ae786dc435913c0c563dfa328f5a3646d0e62cfeeb474d", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/PolyAI-LDN/task-specific-datasets/57ec275d8078af65b7731c2a98be812d844a6d6b/banking_data/test.csv" },
      { path: "train.csv", size: 839073, sha256: "b06e26ac675513959a63135f11b94ea7786ed02da65db93a5650d8838cbc664b", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/PolyAI-LDN/task-specific-datasets/57ec275d8078af65b7731c2a98be812d844a6d6b/banking_data/train.csv" },
    ],
  },
  clue_eprstmt_fewclue: {
    name: "clue_eprstmt_fewclue",
    description: "EPRSTMT (FewCLUE): Chinese e-commerce review sentiment, Positive/Negative; train 160 / dev 160 / test 610.",
    license: "No license stated by the FewCLUE repository (\"being added\"); test_public is for academic research use only. Treat as research/teaching use.",
    citation: "Xu et al. (2021). FewCLUE: A Chinese Few-shot Learning Evaluation Benchmark. arXiv:2107.07498.",
    homepage: "https://github.com/CLUEbenchmark/FewCLUE",
    source: { repo: "CLUEbenchmark/FewCLUE", commit: "62a02c6f31cf32814cfe522f78ef088228840f8d" },
    files: [
      { path: "dev_few_all.json", size: 31099, sha256: "859eeb8b977a5e06c13b7c4016a74aae1dc8a5ff5a8fb502fba77e551087ed96", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/CLUEbenchmark/FewCLUE/62a02c6f31cf32814cfe522f78ef088228840f8d/datasets/eprstmt/dev_few_all.json" },
      { path: "test_public.json", size: 114575, sha256: "ddea92e833023adeff35070bd56331878ae9fdc57fd99229c249c2aae06bbf41", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/CLUEbenchmark/FewCLUE/62a02c6f31cf32814cfe522f78ef088228840f8d/datasets/eprstmt/test_public.json" },
      { path: "train_few_all.json", size: 27836, sha256: "da6343ed63264304fdbf70ebc6f82d7ab43aa294daad047f450a88252a36de9d", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/CLUEbenchmark/FewCLUE/62a02c6f31cf32814cfe522f78ef088228840f8d/datasets/eprstmt/train_few_all.json" },
    ],
  },
  clue_tnews_fewclue: {
    name: "clue_tnews_fewclue",
    description: "TNEWS (FewCLUE): Chinese Toutiao news-headline topics, 15 classes; train 1,185 / dev 1,098 / test 2,010.",
    license: "No license stated by the FewCLUE repository (\"being added\"); test_public is for academic research use only. Treat as research/teaching use.",
    citation: "Xu et al. (2021). FewCLUE, arXiv:2107.07498; Xu et al. (2020). CLUE: A Chinese Language Understanding Evaluation Benchmark. COLING 2020.",
    homepage: "https://github.com/CLUEbenchmark/FewCLUE",
    source: { repo: "CLUEbenchmark/FewCLUE", commit: "62a02c6f31cf32814cfe522f78ef088228840f8d" },
    files: [
      { path: "dev_few_all.json", size: 214448, sha256: "8aa37d994fa6148e673c1357a44ee1409cab0220f773b55dd8e5733446804725", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/CLUEbenchmark/FewCLUE/62a02c6f31cf32814cfe522f78ef088228840f8d/datasets/tnews/dev_few_all.json" },
      { path: "label_index2en2zh.json", size: 992, sha256: "1e87cf4842c5fe528ac9f76ac164bda88b1bb1458c186750af34327353389f4e", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/CLUEbenchmark/FewCLUE/62a02c6f31cf32814cfe522f78ef088228840f8d/datasets/tnews/label_index2en2zh.json" },
      { path: "test_public.json", size: 385206, sha256: "19909c69baee76687f0ffeb73b5eac642e77a32a8fe661325c6f9338ca9e4c99", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/CLUEbenchmark/FewCLUE/62a02c6f31cf32814cfe522f78ef088228840f8d/datasets/tnews/test_public.json" },
      { path: "train_few_all.json", size: 230596, sha256: "261c91076d36a2e64bad671719cbeccbfce8e7032716de4dbb495bccbb971c15", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/CLUEbenchmark/FewCLUE/62a02c6f31cf32814cfe522f78ef088228840f8d/datasets/tnews/train_few_all.json" },
    ],
  },
  conll2003: {
    name: "conll2003",
    description: "CoNLL-2003 English NER (Reuters news), 4 columns token/POS/chunk/NER, IOB2 tags; 14,041 / 3,250 / 3,453 sentences.",
    license: "Unclear: the text is from Reuters RCV1 (NIST agreement); the source repository gives no data license. Local teaching use only; do not re-publish.",
    citation: "Tjong Kim Sang & De Meulder (2003). Introduction to the CoNLL-2003 Shared Task: Language-Independent Named Entity Recognition.",
    homepage: "https://www.clips.uantwerpen.be/conll2003/ner/",
    source: { repo: "kyzhouhzau/BERT-NER", commit: "0f77e478872453df51cd3c65d1a39b12d9617f9d" },
    files: [
      { path: "dev.txt", size: 827443, sha256: "c02eb19809eafb83998326a0481942eb37d96f31826ae387cfe8773699969f5b", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/kyzhouhzau/BERT-NER/0f77e478872453df51cd3c65d1a39b12d9617f9d/old_version/NERdata/dev.txt" },
      { path: "test.txt", size: 748095, sha256: "dc4ac7f3d6d01a6bec59261814561da3b287b6b493b97d1f69c580b52ec1831b", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/kyzhouhzau/BERT-NER/0f77e478872453df51cd3c65d1a39b12d9617f9d/old_version/NERdata/test.txt" },
      { path: "train.txt", size: 3283420, sha256: "213953b5522fb7924802d883e50f027b2c6ffb5d4d0e63368ed82909f9b60423", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/kyzhouhzau/BERT-NER/0f77e478872453df51cd3c65d1a39b12d9617f9d/old_version/NERdata/train.txt" },
    ],
  },
  epoch_ai_models: {
    name: "epoch_ai_models",
    description: "Epoch AI 'Data on AI Models' (download of about January 2026): notable (976), large-scale (484) and frontier (137) models with parameters, compute, organisation and date.",
    license: "CC BY 4.0 (Epoch AI; attribution required; README.md ships with the data)",
    citation: "Epoch AI, 'Data on AI Models'. Published online at epoch.ai. Retrieved from https://epoch.ai/data/ai-models.",
    homepage: "https://epoch.ai/data/ai-models",
    source: { repo: "sidx04/karma-police", commit: "7d8a035ca075dac6fff73fa17093f81370d4c6a2" },
    files: [
      { path: "README.md", size: 559, sha256: "021ea9c8859db952b2ccb404b1064cbe8eaab118a8a4b96dfc9fb3584a7efdaf", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/sidx04/karma-police/7d8a035ca075dac6fff73fa17093f81370d4c6a2/ai_models/README.md" },
      { path: "frontier_ai_models.csv", size: 404650, sha256: "3ab5db25a0cd362f73efb5b6e4e8d145e626a9eaeb087f6e247b26afb97efbd7", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/sidx04/karma-police/7d8a035ca075dac6fff73fa17093f81370d4c6a2/ai_models/frontier_ai_models.csv" },
      { path: "large_scale_ai_models.csv", size: 1021438, sha256: "75dbf988dc4cb540bdb1d275b8c0e3c7a0ac34e0d4ba456716cb631a2e30ab29", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/sidx04/karma-police/7d8a035ca075dac6fff73fa17093f81370d4c6a2/ai_models/large_scale_ai_models.csv" },
      { path: "notable_ai_models.csv", size: 2101461, sha256: "fc162a95aeabd00425377abd72d37480d2995f9b66fbeda389e6538f287462c8", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/sidx04/karma-police/7d8a035ca075dac6fff73fa17093f81370d4c6a2/ai_models/notable_ai_models.csv" },
    ],
  },
  financial_phrasebank: {
    name: "financial_phrasebank",
    description: "Financial PhraseBank v1.0: financial-news sentences labelled positive/neutral/negative by 5-8 annotators; subsets by agreement (50%: 4,846, 66%: 4,217, 75%: 3,453, all: 2,264). No official split.",
    license: "CC BY-NC-SA 3.0 (non-commercial, share-alike; License.txt ships with the data)",
    citation: "Malo, Sinha, Korhonen, Wallenius, Takala (2014). Good debt or bad debt: Detecting semantic orientations in economic texts. JASIST 65(4), 782-796.",
    homepage: "https://www.researchgate.net/publication/251231364_FinancialPhraseBank-v10",
    source: { repo: "wychen-null/project_nlp_cuda", commit: "1ea075323700e41e09f22fcc1682765177945f08" },
    files: [
      { path: "License.txt", size: 394, sha256: "fa4f941ef92f40d55dd34ddea45d96a20672607d152698bc160f8db3af5e36c7", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/wychen-null/project_nlp_cuda/1ea075323700e41e09f22fcc1682765177945f08/data/FinancialPhraseBank-v1.0/License.txt" },
      { path: "README.txt", size: 4013, sha256: "80241dd9639af987cd87bbb2d8872392c6d45596a488ebefca2d425da46f5809", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/wychen-null/project_nlp_cuda/1ea075323700e41e09f22fcc1682765177945f08/data/FinancialPhraseBank-v1.0/README.txt" },
      { path: "Sentences_50Agree.txt", size: 666509, sha256: "13388b8bf2f878c68fb4d47564fa0072756eb4e9ba4a16467d6d7f0a29a6a742", encoding: "latin1",
        url: "https://raw.githubusercontent.com/wychen-null/project_nlp_cuda/1ea075323700e41e09f22fcc1682765177945f08/data/FinancialPhraseBank-v1.0/Sentences_50Agree.txt" },
      { path: "Sentences_66Agree.txt", size: 576037, sha256: "6fcda6c07b5731fa075c81372413c921f95057b89ed611be0b2d1620ac94ac09", encoding: "latin1",
        url: "https://raw.githubusercontent.com/wychen-null/project_nlp_cuda/1ea075323700e41e09f22fcc1682765177945f08/data/FinancialPhraseBank-v1.0/Sentences_66Agree.txt" },
      { path: "Sentences_75Agree.txt", size: 463538, sha256: "8aa3210c6fc324ec2f5bd903f7767543280525cd88bb6cbed5d39b33f01a4f05", encoding: "latin1",
        url: "https://raw.githubusercontent.com/wychen-null/project_nlp_cuda/1ea075323700e41e09f22fcc1682765177945f08/data/FinancialPhraseBank-v1.0/Sentences_75Agree.txt" },
      { path: "Sentences_AllAgree.txt", size: 297452, sha256: "b3cb762d2eb8c8fe50d6d53ac073afbd217dd01e4c6e04167ac9b8de9e42d3ca", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/wychen-null/project_nlp_cuda/1ea075323700e41e09f22fcc1682765177945f08/data/FinancialPhraseBank-v1.0/Sentences_AllAgree.txt" },
    ],
  },
  gutenberg_english_prose: {
    name: "gutenberg_english_prose",
    description: "Eight public-domain Project Gutenberg novels (Austen, Conan Doyle, Stevenson, Defoe, Wyss), about 0.87 M words of English prose for pretraining.",
    license: "Public domain in the US; Project Gutenberg License (trademark terms) for the files with headers. Check your country's law outside the US.",
    citation: "Project Gutenberg, https://www.gutenberg.org (eBooks #108, #120, #161, #521, #834, #1342, #1661, #11703).",
    homepage: "https://www.gutenberg.org",
    source: { repo: "RU-ECE/ECE451-Parallel", commit: "c58dca3a6abedd8041057571c247e9a393cc3b4d" },
    files: [
      { path: "pg108.txt", size: 719662, sha256: "45525bfa54ccde81117482bd6bc5f5deb8ce190d72c313cdb53e2f72625a8796", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/RU-ECE/ECE451-Parallel/c58dca3a6abedd8041057571c247e9a393cc3b4d/data/pg108.txt" },
      { path: "pg11703.txt", size: 714049, sha256: "a54693601914c3eea1f5c88ef2daae96ded0ec6a800412e3e14fa545af2124db", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/RU-ECE/ECE451-Parallel/c58dca3a6abedd8041057571c247e9a393cc3b4d/data/pg11703.txt" },
      { path: "pg120.txt", size: 399745, sha256: "bf53a47ef78cb0383e03aebd23f70a6cb03cfec442af5e464c97393224ff8657", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/RU-ECE/ECE451-Parallel/c58dca3a6abedd8041057571c247e9a393cc3b4d/data/pg120.txt" },
      { path: "pg1342.txt", size: 772448, sha256: "4d32e44d62c944d85f2634c4654d10ab097051eca75c77673a061c923bc5406b", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/RU-ECE/ECE451-Parallel/c58dca3a6abedd8041057571c247e9a393cc3b4d/data/pg1342.txt" },
      { path: "pg161.txt", size: 712915, sha256: "ca54b500164a57cfadb17ec07275b1d65eb4003dc59588017de088e159edd35a", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/RU-ECE/ECE451-Parallel/c58dca3a6abedd8041057571c247e9a393cc3b4d/data/pg161.txt" },
      { path: "pg1661.txt", size: 607678, sha256: "a3218ac048b5b939f4972527a5486e3631a3619e7e1adfb8412fcbdd3d08c034", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/RU-ECE/ECE451-Parallel/c58dca3a6abedd8041057571c247e9a393cc3b4d/data/pg1661.txt" },
      { path: "pg521.txt", size: 654002, sha256: "a71573b4c5a5604eda234c8072040d9818b380c7faeedf40d955617d69cb1610", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/RU-ECE/ECE451-Parallel/c58dca3a6abedd8041057571c247e9a393cc3b4d/data/pg521.txt" },
      { path: "pg834.txt", size: 612932, sha256: "0a309f9fd52a329858abdc3b36306193357618bf466120c3502afb6163b6f4fd", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/RU-ECE/ECE451-Parallel/c58dca3a6abedd8041057571c247e9a393cc3b4d/data/pg834.txt" },
    ],
  },
  movielens_ml_latest_small: {
    name: "movielens_ml_latest_small",
    description: "MovieLens ml-latest-small (2018-09-26): 100,836 ratings and 3,683 tags by 610 users on 9,742 movies.",
    license: "GroupLens research-use terms (README.txt): non-commercial, acknowledge in publications, redistribute only under the same terms with README.txt.",
    citation: "F. Maxwell Harper and Joseph A. Konstan (2015). The MovieLens Datasets: History and Context. ACM TiiS 5(4): 19:1-19:19.",
    homepage: "https://grouplens.org/datasets/movielens/",
    source: { repo: "HeewoongNoh/2022_DSAIL_Internship", commit: "f568bb3f42c0d8656c5f55379572bf431c37e2c3" },
    files: [
      { path: "README.txt", size: 8351, sha256: "569448aba20b7eb111dbaa271231a51a9c25add372ededf84256dc592a1fceaf", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/HeewoongNoh/2022_DSAIL_Internship/f568bb3f42c0d8656c5f55379572bf431c37e2c3/ml-latest-small/README.txt" },
      { path: "links.csv", size: 188236, sha256: "028a4a1d17751ca9276e0e0718cfc22356350f224a996e1ec348c23274b9209d", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/HeewoongNoh/2022_DSAIL_Internship/f568bb3f42c0d8656c5f55379572bf431c37e2c3/ml-latest-small/links.csv" },
      { path: "movies.csv", size: 484688, sha256: "c47b783f23eb304413307e1bb05335e427737da20ec8d3c0e96335567dd5f3dc", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/HeewoongNoh/2022_DSAIL_Internship/f568bb3f42c0d8656c5f55379572bf431c37e2c3/ml-latest-small/movies.csv" },
      { path: "ratings.csv", size: 2382886, sha256: "80da8b3393dae325bbba5a31f291a6ba55d8d4f4396de3c456f2c1635b1b70e8", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/HeewoongNoh/2022_DSAIL_Internship/f568bb3f42c0d8656c5f55379572bf431c37e2c3/ml-latest-small/ratings.csv" },
      { path: "tags.csv", size: 114976, sha256: "68eec00a0820c2faa8863a6df7032f13d5899a4462bce9a97213905297ff3d34", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/HeewoongNoh/2022_DSAIL_Internship/f568bb3f42c0d8656c5f55379572bf431c37e2c3/ml-latest-small/tags.csv" },
    ],
  },
  sst2: {
    name: "sst2",
    description: "SST-2 (GLUE), binary phrase/sentence sentiment. train 60,614 + dev 6,735 = GLUE train; test 872 = GLUE dev, labelled.",
    license: "No license stated (source repository MIT covers its code only); cite Socher et al. (2013) and GLUE.",
    citation: "Socher et al. (2013). Recursive Deep Models for Semantic Compositionality Over a Sentiment Treebank. EMNLP; Wang et al. (2018). GLUE.",
    homepage: "https://nlp.stanford.edu/sentiment/",
    source: { repo: "forest-snow/alps", commit: "3c7ef2c98249fc975a897b27f275695f97d5b7a9" },
    files: [
      { path: "dev.tsv", size: 383214, sha256: "92353770071a2a889f75d000a38a9e541ea8f0a5499e50f040b17917a5cbf66f", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/forest-snow/alps/3c7ef2c98249fc975a897b27f275695f97d5b7a9/data/SST-2/dev.tsv" },
      { path: "test.tsv", size: 94931, sha256: "54a9c12c77e402fc14d6a66a506f24d999f596b0176eb777c972cccc2f9cc4b0", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/forest-snow/alps/3c7ef2c98249fc975a897b27f275695f97d5b7a9/data/SST-2/test.tsv" },
      { path: "train.tsv", size: 3422882, sha256: "920e317b2c52e12cd22db1da2c6708312bd7dc4f3712b9bbf1b50ee6c2c792ba", encoding: "utf-8",
        url: "https://raw.githubusercontent.com/forest-snow/alps/3c7ef2c98249fc975a897b27f275695f97d5b7a9/data/SST-2/train.tsv" },
    ],
  },
} as const satisfies { readonly [name: string]: DatasetSpec };

/** A registered dataset name. */
export type DatasetName = keyof typeof DATASETS;

/** All registered names, sorted. */
export const DATASET_NAMES = Object.keys(DATASETS).sort() as DatasetName[];

/**
 * The registry entry of `name`.
 * @throws Error listing the known names when `name` is not registered
 */
export function datasetSpec(name: string): DatasetSpec {
  if (!Object.hasOwn(DATASETS, name)) {
    throw new Error(`unknown dataset "${name}". Known datasets: ${DATASET_NAMES.join(", ")} (\`course data list\`).`);
  }
  return DATASETS[name as DatasetName];
}
