// Evaluation you can trust: bootstrap intervals, paired tests, calibration, attributions, behavioural tests, bias.
export * from "./bootstrap";
export * from "./metric-intervals";
export * from "./mcnemar";
export * from "./paired-bootstrap";
export * from "./calibration";
export * from "./temperature";
export * from "./embedding-forward";
export * from "./integrated-gradients";
export * from "./attention-rollout";
export * from "./token-heatmap";
export * from "./rank-correlation";
export * from "./sanity-check";
export * from "./perturb";
export * from "./checklist";
export * from "./checklist-suites";
export * from "./out-of-domain";
export * from "./robustness-curve";
